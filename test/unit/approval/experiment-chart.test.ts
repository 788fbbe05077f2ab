import { renderApprovalEmail } from '../../../src/domain/approval/email';
import { renderEvidenceHtml } from '../../../src/domain/approval/evidence-html';
import type { ExperimentEvidence } from '../../../src/domain/approval/views';
import { evidence } from './fixtures';

const experiment: ExperimentEvidence = {
  kpi: 'conversion', verdict: 'winner', reason: 'the candidate is better: conversion difference 0.3', minEffect: 0.1, alpha: 0.05, candidateShare: 0.5,
  points: [
    { t: 0, estimate: null, lower: -1, upper: 1, candidateN: 0, controlN: 0 },
    { t: 5, estimate: 0.25, lower: -0.3, upper: 0.8, candidateN: 40, controlN: 38 },
    { t: 10, estimate: 0.3, lower: 0.02, upper: 0.58, candidateN: 120, controlN: 115 },
  ],
};

describe('the A/B experiment on the promote gate', () => {
  test('the page draws the KPI difference with its lower and upper confidence bounds and a zero line, below zero too', () => {
    const html = renderEvidenceHtml({ ...evidence, experiment }, { charts: true });
    expect(html).toContain('<section id="experiment">');
    for (const s of ['difference', 'lower bound', 'upper bound', 'no difference']) expect(html).toContain(`data-series="${s}"`);
    expect(html).toContain('95.0000% confidence sequence');
    // The y axis reaches below zero for the lower bound of -1 (-1.1 with headroom).
    expect(html).toContain('>-1.1<');
  });

  test('the email carries the experiment chart in HTML and its verdict and last interval in text', () => {
    const mail = renderApprovalEmail({ kind: 'opened', releaseId: 'r', model: 'm', gate: 'promote', approver: 'a@x.io', evidence: { ...evidence, experiment }, link: 'l' });
    expect(mail.html).toContain('data-series="upper bound"');
    expect(mail.text).toContain('A/B experiment (conversion): winner; difference +0.3000, confidence sequence [+0.0200, +0.5800]');
  });

  test('evidence without an experiment renders no experiment section', () => {
    expect(renderEvidenceHtml(evidence, { charts: true })).not.toContain('id="experiment"');
  });
});
