/** The logging callback pipeline activities accept: a message and structured fields. */
export type PipelineLog = (message: string, fields?: Record<string, unknown>) => void;
