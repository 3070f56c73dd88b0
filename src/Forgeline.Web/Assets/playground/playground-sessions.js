// /playground/sessions: GET /api/v1/playground/sessions every 3 s (admins get everyone's, with usage; others their own),
// and an End button per live session (DELETE with the page's CSRF token). Text goes in with textContent only.
(() => {
  'use strict';
  const body = document.querySelector('#sessions tbody');
  const note = document.getElementById('sessions-note');
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
  const api = '/api/v1/playground/sessions';

  function cell(text, className) {
    const td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text ?? '—';
    return td;
  }

  function time(value) {
    return value ? new Date(value).toLocaleString() : '—';
  }

  function row(session) {
    const tr = document.createElement('tr');
    tr.dataset.session = session.id;
    const environment = document.createElement('a');
    environment.href = '/playground/' + encodeURIComponent(session.environment);
    environment.textContent = session.environment;
    const environmentCell = cell('');
    environmentCell.append(environment);
    const state = document.createElement('span');
    state.className = 'state ' + session.state;
    state.textContent = session.state === 'queued' && session.queuePosition ? `queued #${session.queuePosition}` : session.state;
    const stateCell = cell('');
    stateCell.append(state);
    if (session.endReason) {
      stateCell.append(' ', Object.assign(document.createElement('span'), { className: 'muted', textContent: session.endReason }));
    }
    const usage = session.usage;
    const actions = cell('');
    if (session.state !== 'ended') {
      const end = document.createElement('button');
      end.type = 'button';
      end.textContent = 'End';
      end.addEventListener('click', () => endSession(session.id, end));
      actions.append(end);
    }
    tr.append(
      cell(session.id, 'mono'), environmentCell, cell(session.owner), stateCell, cell(session.host),
      cell(time(session.startedAt ?? session.createdAt)),
      cell(usage ? usage.cpuSeconds.toFixed(1) : null), cell(usage ? (usage.memoryBytes / 1048576).toFixed(0) : null),
      cell(usage ? String(usage.processes) : null), actions);
    return tr;
  }

  async function problem(response) {
    try {
      const detail = (await response.json()).detail;
      if (detail) return detail;
    } catch { /* not ProblemDetails */ }
    return response.status === 401 ? 'sign in to see your sessions' : `${response.status} ${response.statusText}`;
  }

  async function endSession(id, button) {
    button.disabled = true;
    try {
      const response = await fetch(api + '/' + encodeURIComponent(id), {
        method: 'DELETE', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf },
      });
      if (!response.ok) {
        note.textContent = `Could not end ${id}: ${await problem(response)}`;
        button.disabled = false;
        return;
      }
    } catch (error) {
      note.textContent = `Could not end ${id}: ${error.message}`;
      button.disabled = false;
      return;
    }
    await refresh();
  }

  async function refresh() {
    try {
      const response = await fetch(api, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } });
      if (!response.ok) {
        note.textContent = 'Could not load the sessions: ' + await problem(response);
        return;
      }
      const sessions = await response.json();
      if (sessions.length === 0) {
        const empty = cell('No sessions.', 'muted');
        empty.colSpan = 10;
        const tr = document.createElement('tr');
        tr.append(empty);
        body.replaceChildren(tr);
      } else {
        body.replaceChildren(...sessions.map(row));
      }
      note.textContent = 'Updated ' + new Date().toLocaleTimeString() + '; refreshes every 3 s.';
    } catch (error) {
      note.textContent = 'Could not reach the server (' + error.message + '); still trying every 3 s.';
    }
  }

  refresh();
  setInterval(refresh, 3000);
})();
