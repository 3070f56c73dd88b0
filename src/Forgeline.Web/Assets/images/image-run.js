// /images/runs/{id} while the run is going: GET /api/v1/image-runs/{id} every 3 s and redraw the job list; stream the
// running job's serial log (its build's log, as /builds/{id} does) below it; reload once the run has ended so the page
// shows its final state from the server. Text goes in with textContent only.
(() => {
  'use strict';
  const list = document.getElementById('jobs');
  if (!list || list.dataset.live !== 'true') return;
  const live = new Set(['queued', 'running', 'building', 'waiting']);
  const glyphs = { passed: '✓', succeeded: '✓', failed: '✗', skipped: '–' };
  const section = document.getElementById('live');
  const pre = document.getElementById('log');
  let streaming = null;

  const el = (tag, props, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  };
  const artifact = (build, name) => `/api/v1/builds/${build}/artifacts/${encodeURIComponent(name)}`;
  const seconds = s => s == null ? '—' : s >= 3600 ? `${Math.floor(s / 3600)}h ${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`
    : s >= 60 ? `${Math.floor(s / 60)}m ${String(Math.floor(s) % 60).padStart(2, '0')}s` : `${s.toFixed(1)}s`;

  function item(job) {
    const li = el('li', { className: job.state });
    li.dataset.job = job.name;
    li.dataset.state = job.state;
    li.append(el('h3', {}, job.name + ' ', el('span', { className: 'state ' + job.state, textContent: `${glyphs[job.state] ?? '…'} ${job.state}` })));
    const facts = el('div', { className: 'muted' }, `boots ${job.boot === 'image' ? 'the image' : 'the disk of ' + job.boot} · ${seconds(job.seconds)}`);
    if (job.buildId) facts.append(' · ', el('a', { href: '/builds/' + job.buildId, textContent: `serial log (build ${job.buildId})` }));
    if (job.diskSha256) facts.append(' · published disk ', el('span', { className: 'mono', title: 'sha256 ' + job.diskSha256, textContent: job.diskSha256.slice(0, 12) }));
    li.append(facts);
    if (job.reason) li.append(el('p', { className: 'reason', textContent: job.reason }));
    if (job.buildId && job.jUnit?.length) {
      li.append(el('div', { className: 'junit' }, 'JUnit: ', ...job.jUnit.flatMap(n => [el('a', { href: artifact(job.buildId, n), textContent: n }), ' '])));
    }
    if (job.buildId && job.screenshot) {
      const url = artifact(job.buildId, job.screenshot);
      li.append(el('a', { href: url }, el('img', { className: 'screenshot', src: url, alt: `The VM's screen of job ${job.name} when it failed` })));
    }
    return li;
  }

  function follow(job) {
    if (!job?.buildId || streaming?.build === job.buildId) return;
    streaming?.controller.abort();
    const controller = new AbortController();
    streaming = { build: job.buildId, controller };
    pre.replaceChildren();
    document.getElementById('live-job').textContent = job.name;
    document.getElementById('live-link').href = '/builds/' + job.buildId;
    section.hidden = false;
    window.forgelineBuildLog(pre, job.buildId, true, controller.signal).catch(() => {});
  }

  async function refresh() {
    let run;
    try {
      const response = await fetch('/api/v1/image-runs/' + list.dataset.run, { headers: { Accept: 'application/json' } });
      if (!response.ok) return;
      run = await response.json();
    } catch {
      return;
    }
    if (!live.has(run.state)) {
      location.reload();
      return;
    }
    const state = document.getElementById('state');
    state.className = 'state ' + run.state;
    state.textContent = run.state;
    list.replaceChildren(...run.jobs.map(item));
    document.getElementById('no-jobs')?.remove();
    follow(run.jobs.find(j => j.state === 'running'));
  }

  refresh();
  setInterval(refresh, 3000);
})();
