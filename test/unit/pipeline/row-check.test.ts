import type { FeatureTransform } from '../../../src/domain/model/bundle';
import { rowProblems } from '../../../src/domain/model/row-check';

const FEATURES: FeatureTransform[] = [
  { name: 'income', kind: 'numeric', mean: 50, std: 10 },
  { name: 'debt', kind: 'numeric', mean: 20, std: 5 },
  { name: 'region', kind: 'categorical', categories: ['north', 'south'] },
];

describe('rowProblems: what a serving request must satisfy', () => {
  it('accepts numbers, numeric strings, missing features (imputed), unknown categories and extra columns', () => {
    expect(rowProblems(FEATURES, [
      { income: 42, debt: '7.5', region: 'north' },
      { income: 42 },
      { income: null, debt: '', region: 'west', email: 'x@example.com' },
      { region: 3 },
    ])).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a row with none of the features', { salary: 1, email: 'x' }, "rows.0: none of the model's features is present; send income, debt, region"],
    ['a word where a number belongs', { income: 'thirty' }, 'rows.0.income: expected a number, got "thirty"'],
    ['an object where a number belongs', { income: { value: 1 } }, 'rows.0.income: expected a number, got an object'],
    ['a boolean where a number belongs', { debt: true, income: 1 }, 'rows.0.debt: expected a number, got true'],
    ['an array as a category', { income: 1, region: ['north'] }, 'rows.0.region: expected a category (a string or number), got an array'],
    ['a 5000-character value', { income: 'x'.repeat(5000) }, 'rows.0.income: expected a number, got "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (5002 characters)'],
  ])('names the row and the feature for %s', (_t, row, problem) => {
    expect(rowProblems(FEATURES, [row])).toEqual([problem]);
  });

  it('reports at most 20 problems for a large bad batch, in row order', () => {
    const problems = rowProblems(FEATURES, Array.from({ length: 1000 }, () => ({ nothing: 1 })));
    expect(problems).toHaveLength(20);
    expect(problems[19]).toMatch(/^rows\.19: /);
  });

  it('lists the first 8 feature names and counts the rest for wide models', () => {
    const wide: FeatureTransform[] = Array.from({ length: 12 }, (_, i) => ({ name: `f${i}`, kind: 'numeric', mean: 0, std: 1 }));
    expect(rowProblems(wide, [{}])).toEqual(["rows.0: none of the model's features is present; send f0, f1, f2, f3, f4, f5, f6, f7 and 4 more"]);
  });
});
