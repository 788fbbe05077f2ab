/**
 * The model page's review queue: the gateway's low-confidence predictions waiting for a human
 * label, with a form per prediction for those who may act on the model, and why not for the rest.
 * Pure; inputs, predictions and ids come from request rows and are escaped.
 */
import { escapeHtml } from '../../domain/approval/html';
import type { ActCheck } from '../../domain/approval/who-may-act';
import type { ReviewItem } from '../../domain/monitor/review-rules';
import { REVIEW_PAGE_LIMIT, type ReviewQueueView } from '../../ports/console';
import { csrfField, type Viewer } from './console-layout';
import { modelHref } from './console-lists';

/** The page shows the first few; the CLI lists them all. */
const SHOWN = 10;

/** `age=41, region=north`: wraps between features, unlike JSON. */
const inputsText = (inputs: Record<string, unknown>) => Object.entries(inputs).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');

function labelForm(model: string, item: ReviewItem, i: number, v: Viewer): string {
  const id = `review-label-${i}`;
  return `<form method="post" action="${modelHref(model)}/review" class="review-label">${csrfField(v)}<input type="hidden" name="predictionId" value="${escapeHtml(item.predictionId)}"><label for="${id}">Observed outcome</label> <input id="${id}" name="label" required maxlength="100" size="6"> <button type="submit">Label</button></form>`;
}

function row(model: string, item: ReviewItem, i: number, v: Viewer, may: boolean): string {
  const cells = [`<code>${escapeHtml(item.predictionId)}</code>`, `<code>${escapeHtml(item.version)}</code>`, escapeHtml(item.at), escapeHtml(item.predicted), item.confidence.toFixed(3), escapeHtml(inputsText(item.inputs))];
  if (may) cells.push(labelForm(model, item, i, v));
  return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
}

function more(model: string, n: number): string {
  return n > SHOWN ? `<p class="muted">The first ${SHOWN} of ${n}${n >= REVIEW_PAGE_LIMIT ? ' or more' : ''} waiting; <code>mlgate review list ${escapeHtml(model)}</code> lists them all.</p>` : '';
}

export function renderReviewQueue(o: { model: string; queue: ReviewQueueView; viewer: Viewer; check: ActCheck }): string {
  const head = '<h2>Review queue</h2>';
  if ('unavailable' in o.queue) return `<section id="review">${head}<p class="error">The gateway's review queue cannot be read: ${escapeHtml(o.queue.unavailable)}</p></section>`;
  const why = `<p class="may-review ${o.check.ok ? 'yes' : 'no'}">${o.check.ok ? 'You may label predictions' : 'You may not label predictions'}: ${escapeHtml(o.check.why)}.</p>`;
  if (o.queue.items.length === 0) return `<section id="review">${head}${why}<p>No predictions wait for a label.</p></section>`;
  const rows = o.queue.items.slice(0, SHOWN).map((item, i) => row(o.model, item, i, o.viewer, o.check.ok)).join('');
  const cols = ['prediction', 'version', 'at', 'predicted', 'confidence', 'inputs', ...(o.check.ok ? ['label'] : [])].map((c) => `<th>${c}</th>`).join('');
  return `<section id="review">${head}${why}<p class="muted">Low-confidence predictions; a label goes back to the gateway as feedback, with your name as the reviewer.</p>${more(o.model, o.queue.items.length)}<table id="review-queue"><thead><tr>${cols}</tr></thead><tbody>${rows}</tbody></table></section>`;
}
