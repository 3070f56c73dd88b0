// /images: while a cell is queued or running, GET /api/v1/image-matrix every 5 s and redraw the cells that changed;
// stops once nothing is live. Text goes in with textContent only.
(() => {
  'use strict';
  const table = document.getElementById('matrix');
  if (!table || table.dataset.live !== 'true') return;
  const live = new Set(['queued', 'running', 'building', 'waiting']);
  const glyphs = { passed: '✓', failed: '✗' };
  const query = new URLSearchParams({ days: table.dataset.days });
  if (table.dataset.project) query.set('project', table.dataset.project);

  function duration(run) {
    const seconds = ((run.finishedAt ? new Date(run.finishedAt) : new Date()) - new Date(run.createdAt)) / 1000;
    if (seconds >= 3600) return `${Math.floor(seconds / 3600)}h ${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}m`;
    if (seconds >= 60) return `${Math.floor(seconds / 60)}m ${String(Math.floor(seconds) % 60).padStart(2, '0')}s`;
    return `${Math.max(seconds, 0).toFixed(1)}s`;
  }

  function link(run) {
    const a = document.createElement('a');
    const time = duration(run);
    a.className = 'run ' + (run.state === 'passed' || run.state === 'failed' ? run.state : 'running');
    a.href = '/images/runs/' + run.id;
    a.dataset.run = run.id;
    a.dataset.state = run.state;
    a.title = `run ${run.id} ${run.state} · ${time}`;
    const glyph = Object.assign(document.createElement('span'), { textContent: glyphs[run.state] ?? '…' });
    glyph.setAttribute('aria-hidden', 'true');
    a.append(glyph, Object.assign(document.createElement('span'), { className: 'sr-only', textContent: run.state }), ' ' + time);
    return a;
  }

  async function refresh() {
    let matrix;
    try {
      const response = await fetch('/api/v1/image-matrix?' + query, { headers: { Accept: 'application/json' } });
      if (!response.ok) return true;
      matrix = await response.json();
    } catch {
      return true;
    }
    let anyLive = false;
    for (const row of matrix.plans) {
      const tr = [...table.tBodies[0].rows].find(r => r.dataset.project === row.project && r.dataset.plan === row.plan);
      if (!tr) continue;
      row.cells.forEach((run, i) => {
        const td = tr.querySelector(`td[data-day="${matrix.days[i]}"]`);
        if (!td) return;
        const shown = td.querySelector('a.run');
        if (run && live.has(run.state)) anyLive = true;
        if (!run) { if (shown) td.replaceChildren(); return; }
        if (!shown || shown.dataset.run !== String(run.id) || shown.dataset.state !== run.state || live.has(run.state)) td.replaceChildren(link(run));
      });
    }
    return anyLive;
  }

  const timer = setInterval(async () => {
    if (!await refresh()) clearInterval(timer);
  }, 5000);
})();
