/**
 * The one list of failure `type` strings. Activities throw `ApplicationFailure`s with these types;
 * workflows branch on `failure.type`, never on `instanceof`.
 */
export const ErrorType = {
  InvalidInput: 'InvalidInput',
  InvalidSpec: 'InvalidSpec',
  DataError: 'DataError',
  TrainerFailed: 'TrainerFailed',
  AliasConflict: 'AliasConflict',
  ReleaseLocked: 'ReleaseLocked',
  DecisionRefused: 'DecisionRefused',
  DeploymentFailed: 'DeploymentFailed',
  NotFound: 'NotFound',
} as const;
export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

/** Turns a zod error into one line per problem, each naming the path: `trainer.params.epochs: expected number`. */
export function formatIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, prefix = ''): string[] {
  return issues.map((i) => {
    const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    return `${path || '(root)'}: ${i.message}`;
  });
}
