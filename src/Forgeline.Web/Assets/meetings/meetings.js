// Meetings pages: times in the viewer's zone (Intl), the day list regrouped by the viewer's days, the booking form
// (POST /api/v1/meetings with the page's CSRF token) and the cancel button (DELETE). Text goes in with textContent only.
(() => {
  'use strict';
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  const full = new Intl.DateTimeFormat(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  const dayName = new Intl.DateTimeFormat(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
  const dayKey = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });

  document.querySelectorAll('.viewer-zone').forEach(e => { e.textContent = zone; });
  document.querySelectorAll('time.local').forEach(t => {
    const at = new Date(t.getAttribute('datetime'));
    if (!isNaN(at)) t.textContent = (t.dataset.format === 'full' ? full : clock).format(at);
  });

  // The server groups by UTC day; the viewer's days may differ.
  const days = document.getElementById('meeting-days');
  if (days) {
    const items = [...days.querySelectorAll('li.occurrence')];
    const groups = new Map();
    for (const item of items) {
      const at = new Date(item.querySelector('time').getAttribute('datetime'));
      const key = dayKey.format(at);
      if (!groups.has(key)) groups.set(key, { at, items: [] });
      groups.get(key).items.push(item);
    }
    days.replaceChildren(...[...groups.entries()].map(([key, group]) => {
      const li = document.createElement('li');
      li.className = 'meeting-day';
      li.dataset.day = key;
      const h2 = document.createElement('h2');
      h2.textContent = dayName.format(group.at);
      const ul = document.createElement('ul');
      ul.append(...group.items);
      li.append(h2, ul);
      return li;
    }));
  }

  const error = document.getElementById('meeting-error');
  function fail(message) {
    if (!error) return;
    error.textContent = message;
    error.hidden = false;
  }

  async function problem(response) {
    try {
      const body = await response.json();
      return body.detail || body.title || response.statusText;
    } catch {
      return `${response.status} ${response.statusText}`;
    }
  }

  const form = document.getElementById('meeting-form');
  if (form) {
    const zoneInput = document.getElementById('meeting-zone');
    zoneInput.value = zone;
    const recurrence = document.getElementById('meeting-recurrence');
    const count = document.getElementById('meeting-count');
    recurrence.addEventListener('change', () => { count.disabled = recurrence.value === 'none'; });
    const result = document.getElementById('meeting-result');
    form.addEventListener('submit', async event => {
      event.preventDefault();
      error.hidden = true;
      result.hidden = true;
      const value = id => document.getElementById(id).value.trim();
      const repeats = recurrence.value !== 'none';
      const body = {
        sig: value('meeting-sig'), title: value('meeting-title'), start: `${value('meeting-date')}T${value('meeting-time')}`,
        timeZone: value('meeting-zone'), durationMinutes: Number(value('meeting-duration')), platform: value('meeting-platform'),
        recurrence: recurrence.value, occurrences: repeats ? Number(count.value) : null, agenda: value('meeting-agenda') || null,
      };
      const button = document.getElementById('meeting-book');
      button.disabled = true;
      try {
        const response = await fetch('/api/v1/meetings', {
          method: 'POST', credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
          body: JSON.stringify(body),
        });
        if (!response.ok) {
          fail(await problem(response));
          return;
        }
        const meeting = await response.json();
        const link = document.createElement('a');
        link.href = '/meetings/' + meeting.id;
        link.textContent = meeting.title;
        const when = document.createElement('span');
        when.textContent = ` booked for ${meeting.sig}: ${full.format(new Date(meeting.start))} · join `;
        const join = document.createElement('a');
        if (/^https?:\/\//i.test(meeting.joinUrl)) join.href = meeting.joinUrl;
        join.textContent = meeting.joinUrl;
        const passcode = document.createElement('span');
        passcode.textContent = meeting.passcode ? ` · passcode ${meeting.passcode}` : '';
        result.replaceChildren(link, when, join, passcode);
        result.dataset.meeting = meeting.id;
        result.hidden = false;
      } catch (e) {
        fail('the server could not be reached: ' + e.message);
      } finally {
        button.disabled = false;
      }
    });
  }

  const cancel = document.getElementById('meeting-cancel');
  if (cancel) {
    cancel.addEventListener('click', async () => {
      if (!confirm('Cancel this meeting? The platform deletes it and the SIG\'s list is told.')) return;
      cancel.disabled = true;
      try {
        const response = await fetch('/api/v1/meetings/' + cancel.dataset.meeting, {
          method: 'DELETE', credentials: 'same-origin', headers: { 'Accept': 'application/json', 'X-CSRF-Token': csrf },
        });
        if (response.ok) {
          location.reload();
          return;
        }
        fail(await problem(response));
      } catch (e) {
        fail('the server could not be reached: ' + e.message);
      }
      cancel.disabled = false;
    });
  }
})();
