/**
 * The console's only script, served as /console.js (no build step). A page whose body has
 * `data-live` opens that server-sent-events stream; each message is `{ "<element id>": "<html>" }`
 * rendered (and escaped) on the server, and replaces those elements. When the stream drops, the
 * browser's EventSource reconnects by itself.
 */
export const CONSOLE_SCRIPT = `(() => {
  const url = document.body.dataset.live;
  if (!url || !window.EventSource) return;
  const source = new EventSource(url);
  source.addEventListener('fragments', (ev) => {
    const parts = JSON.parse(ev.data);
    for (const [id, html] of Object.entries(parts)) {
      const el = document.getElementById(id);
      if (!el) continue;
      const active = document.activeElement;
      if (active && el.contains(active) && (active.tagName === 'TEXTAREA' || active.tagName === 'INPUT')) continue;
      el.outerHTML = html;
    }
    document.body.dataset.liveUpdates = String(Number(document.body.dataset.liveUpdates || 0) + 1);
  });
})();
`;
