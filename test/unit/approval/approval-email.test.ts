import { approvalLink, renderApprovalEmail } from '../../../src/domain/approval/email';
import { renderCanaryCharts } from '../../../src/domain/approval/chart-svg';
import { evidence } from './fixtures';

describe('approval email', () => {
  const mail = renderApprovalEmail({ kind: 'opened', releaseId: 'release-credit-risk-3', model: 'credit-risk', gate: 'deploy', approver: 'a@x.io', evidence, link: 'http://127.0.0.1:9/approve/tok', deadline: '2026-01-03T00:00:00.000Z' });

  test('the subject names the gate and the release', () => {
    expect(mail.subject).toBe('[mlgate] Approval needed: deploy gate of release-credit-risk-3');
  });

  test('the text carries candidate vs champion metrics, slices, the canary verdict, the deadline and the personal link', () => {
    expect(mail.text).toContain('auc: 0.8700 / 0.8500 / +0.0200');
    expect(mail.text).toContain('sex=female (n=120): auc=0.8600');
    expect(mail.text).toContain('Canary 5%: pass (2 samples)');
    expect(mail.text).toContain('It times out at 2026-01-03T00:00:00.000Z.');
    expect(mail.text.trim().endsWith('http://127.0.0.1:9/approve/tok')).toBe(true);
  });

  test('the HTML escapes evidence values and links to the approval page', () => {
    expect(mail.html).toContain('sex=&lt;male&gt;');
    expect(mail.html).not.toContain('<male>');
    expect(mail.html).toContain('<a href="http://127.0.0.1:9/approve/tok">');
  });

  test('escalation and reminder mails say so in the subject', () => {
    const esc = renderApprovalEmail({ kind: 'escalation', releaseId: 'r', model: 'm', gate: 'promote', approver: 'vp@x.io', evidence, link: 'l' });
    expect(esc.subject).toMatch(/^\[mlgate\] Escalated: /);
    expect(esc.text).toContain('escalated to you');
  });

  test('links join the public URL and the URL-encoded token with one slash', () => {
    expect(approvalLink('http://h:1/', 'a.b')).toBe('http://h:1/approve/a.b');
  });
});

describe('canary charts', () => {
  test('the SVG has a candidate and a baseline line for latency and for error rate', () => {
    const svg = renderCanaryCharts(evidence.canary!.steps);
    expect(svg.match(/<svg /g)).toHaveLength(2);
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg).toContain('data-series="candidate p99"');
    expect(svg).toContain('data-series="baseline errors"');
  });

  test('a chart without samples says so instead of drawing empty lines', () => {
    const svg = renderCanaryCharts([{ percent: 5, verdict: 'running', samples: [] }]);
    expect(svg).toContain('no samples yet');
    expect(svg).not.toContain('<polyline');
  });
});
