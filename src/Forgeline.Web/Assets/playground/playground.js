// The terminal of /playground/NAME: starts a session (or reattaches to this tab's one after a reload), carries keystrokes
// and output over the session's WebSocket as binary frames, and resize messages as JSON text frames.
// Data from the server goes into the page with textContent only; the course HTML (sanitized server-side) is the exception.
(() => {
  'use strict';
  const root = document.getElementById('playground');
  const environment = root.dataset.environment;
  const signedIn = root.dataset.signedIn === 'true';
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
  const api = '/api/v1/playground';
  const storageKey = 'forgeline.playground.' + environment;
  const statusLine = document.getElementById('pg-status');
  const endButton = document.getElementById('pg-end');
  const newButton = document.getElementById('pg-new');
  const container = document.getElementById('pg-terminal');

  const term = new Terminal({
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace',
    fontSize: 14,
    convertEol: false,
    scrollback: 5000,
    cursorBlink: true,
  });
  const fit = new FitAddon.FitAddon();
  term.loadAddon(fit);
  term.open(container);
  fit.fit();

  // For tests and for the curious: the e2e test reads the screen from term.buffer.active.
  const current = window.forgelinePlayground = { term, socket: null, sessionId: null };
  const encoder = new TextEncoder();
  let ended = false;
  let connection = 0; // each connect() bumps it, so a replaced socket's late events are ignored
  let lastSize = '';
  let retries = 0;

  function setStatus(text, kind) {
    statusLine.textContent = text;
    statusLine.className = 'pg-status ' + (kind ?? '');
  }

  function remember(id, terminal) {
    try { sessionStorage.setItem(storageKey, JSON.stringify({ id, terminal })); } catch { /* storage off: a reload starts afresh */ }
  }

  function forget() {
    try { sessionStorage.removeItem(storageKey); } catch { /* nothing stored */ }
  }

  function remembered() {
    try {
      const value = JSON.parse(sessionStorage.getItem(storageKey) ?? 'null');
      return value && typeof value.id === 'string' && typeof value.terminal === 'string' ? value : null;
    } catch {
      return null;
    }
  }

  async function problem(response) {
    const fallback = {
      401: 'sign in to start a session',
      404: 'there is no playground environment named ' + environment,
      429: 'you have as many sessions as you may; end one on /playground/sessions',
      503: 'the playground is full; try again in a minute',
    }[response.status] ?? `the server answered ${response.status} ${response.statusText}`;
    try {
      const body = await response.json();
      return body.detail || body.title || fallback;
    } catch {
      return fallback;
    }
  }

  function send(data) {
    const socket = current.socket;
    if (socket && socket.readyState === WebSocket.OPEN && !ended) {
      socket.send(data);
    }
  }

  function sendSize(force) {
    const size = term.cols + 'x' + term.rows;
    if (!current.socket || current.socket.readyState !== WebSocket.OPEN || (!force && size === lastSize)) {
      return;
    }
    lastSize = size;
    current.socket.send(JSON.stringify({ type: 'resize', cols: term.cols, rows: term.rows }));
  }

  function showEnded(reason) {
    ended = true;
    forget();
    endButton.disabled = true;
    setStatus('ended: ' + (reason || 'the session is over'), 'ended');
  }

  function control(text) {
    let message;
    try { message = JSON.parse(text); } catch { return; }
    if (message.type === 'status') {
      setStatus(String(message.message ?? ''), 'wait');
    } else if (message.type === 'error') {
      setStatus('error: ' + String(message.message ?? ''), 'bad');
    } else if (message.type === 'ended') {
      showEnded(String(message.reason ?? ''));
    }
  }

  // mode: 'new' (just created), 'reload' (from sessionStorage: if it is gone, start another), 'retry' (after a drop).
  function connect(id, terminal, mode) {
    const mine = ++connection;
    closeSocket();
    ended = false;
    lastSize = '';
    current.sessionId = id;
    endButton.disabled = false;
    const socket = new WebSocket((location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + terminal);
    socket.binaryType = 'arraybuffer';
    current.socket = socket;
    let opened = false;
    let output = false;

    socket.onopen = () => {
      if (mine !== connection) return;
      opened = true;
      setStatus(mode === 'new' ? 'connected, waiting for the shell…' : 'connected again', 'ok');
      sendSize(true);
      term.focus();
    };
    socket.onmessage = event => {
      if (mine !== connection) return;
      if (typeof event.data === 'string') {
        control(event.data);
        return;
      }
      if (!output) {
        output = true;
        retries = 0;
        if (!ended) setStatus('connected', 'ok');
      }
      term.write(new Uint8Array(event.data));
    };
    socket.onclose = event => {
      if (mine !== connection || ended) return;
      if (!opened && mode === 'reload') {
        // The session ended while the page was away (or its grace ran out): start a new one.
        forget();
        start();
      } else if (opened && retries < 3) {
        retries++;
        setStatus('disconnected; reconnecting…', 'wait');
        setTimeout(() => { if (mine === connection) connect(id, terminal, 'retry'); }, 1000 * retries);
      } else {
        forget();
        endButton.disabled = true;
        setStatus('the terminal is gone (' + (event.reason || 'connection closed') + '); press New session to start another', 'bad');
      }
    };
  }

  function closeSocket() {
    const socket = current.socket;
    if (socket && socket.readyState <= WebSocket.OPEN) {
      socket.close(1000, 'page left the session');
    }
  }

  async function start() {
    if (!signedIn) {
      // Ask only for what may work; when the list could not be read (null), the server decides (401 → sign in).
      const info = await environmentInfo;
      if (info === false) {
        setStatus('there is no playground environment named ' + environment + '; pick one on /playground', 'bad');
        return;
      }
      if (info && !info.definition?.anonymous) {
        showSignIn();
        return;
      }
    }
    setStatus('asking for a session…', 'wait');
    endButton.disabled = true;
    let response;
    try {
      response = await fetch(api + '/sessions', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify({ environment }),
      });
    } catch (error) {
      setStatus('could not reach the server (' + error.message + '); press New session to try again', 'bad');
      return;
    }
    if (response.status === 401) {
      showSignIn();
      return;
    }
    if (!response.ok) {
      setStatus(await problem(response), 'bad');
      return;
    }
    const session = await response.json();
    if (!session.terminal) {
      setStatus('the server started session ' + session.id + ' but gave no terminal to attach to', 'bad');
      return;
    }
    remember(session.id, session.terminal);
    setStatus(session.state === 'queued' && session.queuePosition ? `waiting: number ${session.queuePosition} in the queue` : session.state, 'wait');
    connect(session.id, session.terminal, 'new');
  }

  async function endSession(id) {
    const response = await fetch(api + '/sessions/' + encodeURIComponent(id), {
      method: 'DELETE',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrf },
    });
    return response.ok || response.status === 404 ? null : await problem(response);
  }

  function showSignIn() {
    document.getElementById('pg-signin').hidden = false;
    setStatus('sign in to start a session', 'bad');
  }

  // Input: keystrokes as UTF-8, and xterm's binary reports (some mouse modes) byte for byte.
  term.onData(data => send(encoder.encode(data)));
  term.onBinary(data => send(Uint8Array.from(data, c => c.charCodeAt(0) & 0xff)));

  // Refit when the window or the layout changes, at most every 100 ms; tell the server only real changes.
  let refitTimer = 0;
  function refit() {
    clearTimeout(refitTimer);
    refitTimer = setTimeout(() => {
      try { fit.fit(); } catch { /* hidden: nothing to fit */ }
      sendSize(false);
    }, 100);
  }
  window.addEventListener('resize', refit);
  new ResizeObserver(refit).observe(container);
  term.onResize(() => sendSize(false));

  // Ctrl+Shift+C copies and Ctrl+Shift+V pastes (Ctrl+C stays the shell's interrupt); a selection is copied at once.
  function copy(text) {
    if (text && navigator.clipboard?.writeText) navigator.clipboard.writeText(text).catch(() => { /* not allowed here */ });
  }
  term.attachCustomKeyEventHandler(event => {
    if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey || event.altKey || event.metaKey) return true;
    if (event.code === 'KeyC') {
      if (term.hasSelection()) copy(term.getSelection());
      event.preventDefault();
      return false;
    }
    if (event.code === 'KeyV') {
      // With the Clipboard API, read it ourselves; without (plain http), let the browser's own paste reach xterm.
      if (navigator.clipboard?.readText) {
        event.preventDefault();
        navigator.clipboard.readText().then(text => { if (text) term.paste(text); }, () => { /* refused */ });
      }
      return false;
    }
    return true;
  });
  term.onSelectionChange(() => { if (term.hasSelection()) copy(term.getSelection()); });

  endButton.addEventListener('click', async () => {
    if (!current.sessionId || ended) return;
    endButton.disabled = true;
    const failure = await endSession(current.sessionId).catch(error => error.message);
    if (failure) {
      endButton.disabled = false;
      setStatus('could not end the session: ' + failure, 'bad');
    } else if (!ended) {
      showEnded('you ended it'); // unless the server's own "ended" message came first
    }
  });
  newButton.addEventListener('click', async () => {
    newButton.disabled = true;
    try {
      if (current.sessionId && !ended) await endSession(current.sessionId).catch(() => null);
      connection++;
      closeSocket();
      current.socket = null;
      current.sessionId = null;
      forget();
      term.reset();
      await start();
    } finally {
      newButton.disabled = false;
    }
  });

  // The environment's title and course; the terminal does not wait for them. Resolves to the environment, false when the
  // list has no such environment, null when the list could not be read.
  const environmentInfo = fetch(api + '/environments', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
    .then(response => response.ok ? response.json() : null)
    .then(list => list ? list.find(e => e.name === environment) ?? false : null)
    .catch(() => null);
  environmentInfo.then(info => {
    if (!info) return;
    const title = info.definition?.title || info.name;
    document.getElementById('pg-title').textContent = title;
    document.title = title + ' · Forgeline';
    showCourse(info.definition?.course);
  });

  async function showCourse(markdown) {
    const course = document.getElementById('pg-course');
    let html = '';
    try {
      const response = await fetch(api + '/environments/' + encodeURIComponent(environment) + '/course', { credentials: 'same-origin' });
      if (response.ok) {
        html = (response.headers.get('Content-Type') ?? '').includes('json') ? (await response.json()).html ?? '' : await response.text();
      }
    } catch { /* shown as text below, if there is one */ }
    if (html.trim()) {
      course.innerHTML = html; // sanitized by the server (PlaygroundCourse.ToHtml: no raw HTML, safe links only)
    } else if (markdown && markdown.trim()) {
      const text = document.createElement('pre');
      text.className = 'pg-course-text';
      text.textContent = markdown;
      course.replaceChildren(text);
    } else {
      return;
    }
    document.querySelector('.pg-shell').classList.remove('pg-no-course');
    refit();
  }

  const stored = remembered();
  if (stored) {
    setStatus('reconnecting to your session…', 'wait');
    connect(stored.id, stored.terminal, 'reload');
  } else {
    start();
  }
})();
