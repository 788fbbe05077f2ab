import os from 'node:os';

/** Smoke activity: proves a worker picked the task up, and which one. */
export function createSmokeActivities() {
  return {
    async echo(text: string): Promise<string> {
      return `${text} (from worker on ${os.hostname()}, pid ${process.pid})`;
    },
  };
}
export type SmokeActivities = ReturnType<typeof createSmokeActivities>;
