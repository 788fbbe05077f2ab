/**
 * Chi-square upper tail. One implementation serves the rollout analysis and the drift monitor:
 * the regularized incomplete gamma in ./gamma.ts, checked against scipy in test/unit/drift/gamma.test.ts.
 */
export { chiSquaredSf as chiSquareSurvival } from './gamma';
