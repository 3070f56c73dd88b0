// /playground: the environments as cards, from GET /api/v1/playground/environments. Text goes in with textContent only.
(() => {
  'use strict';
  const list = document.getElementById('environments');
  const defaults = { cpuPercent: 100, memoryMegabytes: 512, processes: 256, diskMegabytes: 256, idleMinutes: 15, maxMinutes: 60 };

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function cores(percent) {
    return percent % 100 === 0 ? `${percent / 100} CPU core${percent === 100 ? '' : 's'}` : `${percent}% of a CPU core`;
  }

  function limitsInWords(limits) {
    const l = { ...defaults, ...(limits ?? {}) };
    return `${cores(l.cpuPercent)} · ${l.memoryMegabytes} MiB memory · ${l.diskMegabytes} MiB disk · up to ${l.processes} processes · `
      + `ends after ${l.idleMinutes} min idle, ${l.maxMinutes} min at most`;
  }

  function card(environment) {
    const definition = environment.definition ?? {};
    const node = element('div', 'pg-card');
    node.dataset.environment = environment.name;
    node.append(element('h2', '', definition.title || environment.name));
    const name = element('div', 'muted mono', environment.name);
    node.append(name);
    node.append(element('div', '', limitsInWords(definition.limits)));
    const who = element('div');
    who.append(element('span', 'pg-who', definition.anonymous ? 'anyone' : 'signed-in users'));
    if (definition.homeMegabytes) {
      who.append(' ', element('span', 'muted', `keeps your home directory (${definition.homeMegabytes} MiB) between sessions`));
    }
    node.append(who);
    const start = element('a', 'pg-start', 'Start');
    start.href = '/playground/' + encodeURIComponent(environment.name);
    node.append(start);
    return node;
  }

  async function load() {
    let response;
    try {
      response = await fetch('/api/v1/playground/environments', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } });
    } catch (error) {
      list.replaceChildren(element('p', 'pg-problem', 'Could not reach the server (' + error.message + '); reload to try again.'));
      return;
    }
    if (!response.ok) {
      let detail = '';
      try { detail = (await response.json()).detail ?? ''; } catch { /* not ProblemDetails */ }
      list.replaceChildren(element('p', 'pg-problem',
        `Could not load the environments: ${detail || response.status + ' ' + response.statusText}.`));
      return;
    }
    const environments = await response.json();
    if (environments.length === 0) {
      const empty = element('div', 'empty', 'No playground environment yet. An admin creates one with ');
      empty.append(element('span', 'mono', 'forgeline playground env create NAME --file env.json'), '.');
      list.replaceChildren(empty);
      return;
    }
    const cards = element('div', 'pg-cards');
    cards.append(...environments.map(card));
    list.replaceChildren(cards);
  }

  load();
})();
