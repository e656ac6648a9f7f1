// photosync web page: start syncs, watch them live (Server-Sent Events read
// through fetch, so the token travels in the Authorization header), cancel.
'use strict';

(() => {
  const TOKEN_KEY = 'photosync.token';
  const STATE_LABELS = {
    pending: 'Starting',
    running: 'Syncing',
    succeeded: 'Done',
    partially_failed: 'Done with errors',
    failed: 'Failed',
    cancelled: 'Cancelled',
  };
  const FINAL = new Set(['succeeded', 'partially_failed', 'failed', 'cancelled']);

  const $ = (id) => document.getElementById(id);
  const jobs = new Map(); // id -> job JSON
  const cards = new Map(); // id -> <li>
  let token = null;
  let lastEventId = '';
  let stream = null;
  let serverInfo = null;

  // ---- token -----------------------------------------------------------
  // The server prints http://HOST:PORT/#token=...; the fragment never leaves
  // the browser. Keep it for this origin and take it out of the address bar.
  function readToken() {
    const match = location.hash.match(/(?:^#|&)token=([A-Za-z0-9_\-.~]+)/);
    if (match) {
      localStorage.setItem(TOKEN_KEY, match[1]);
      history.replaceState(null, '', location.pathname + location.search);
    }
    return localStorage.getItem(TOKEN_KEY);
  }

  class AuthError extends Error {}

  async function api(method, path, body) {
    const headers = { Authorization: 'Bearer ' + token };
    const init = { method, headers, cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(path, init);
    let data = null;
    try {
      data = await res.json();
    } catch (e) {
      data = null;
    }
    if (res.status === 401) {
      throw new AuthError((data && data.error && data.error.message) || 'access token needed');
    }
    if (!res.ok) {
      const message = (data && data.error && data.error.message) || res.status + ' ' + res.statusText;
      const err = new Error(message);
      err.status = res.status;
      throw err;
    }
    return data;
  }

  function showSignin(message) {
    localStorage.removeItem(TOKEN_KEY);
    token = null;
    if (stream) stream.abort();
    $('app').hidden = true;
    $('signin').hidden = false;
    setConnection('down', 'Not signed in');
    const err = $('signin-error');
    err.hidden = !message;
    err.textContent = message || '';
    $('token-input').focus();
  }

  // ---- formatting ------------------------------------------------------
  function bytes(n) {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let v = Number(n) || 0;
    let u = 0;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u += 1;
    }
    return (u === 0 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[u];
  }

  function duration(seconds) {
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const pad = (x) => String(x).padStart(2, '0');
    return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
  }

  function clock(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    const today = new Date();
    const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    return d.toDateString() === today.toDateString()
      ? time
      : d.toLocaleDateString([], { month: 'short', day: 'numeric' }) + ' ' + time;
  }

  function plural(n, one, many) {
    return n + ' ' + (n === 1 ? one : many);
  }

  function shortPath(p) {
    const home = serverInfo && serverInfo.allowed_roots && serverInfo.allowed_roots[0];
    if (home && p.startsWith(home + '/')) return '~' + p.slice(home.length);
    return p;
  }

  // ---- rendering -------------------------------------------------------
  function card(id) {
    let el = cards.get(id);
    if (!el) {
      el = $('job-template').content.firstElementChild.cloneNode(true);
      el.dataset.jobId = String(id);
      el.querySelector('.cancel').addEventListener('click', () => cancelJob(id, el));
      cards.set(id, el);
    }
    return el;
  }

  function renderJob(job) {
    const el = card(job.id);
    const c = job.counters || {};
    const p = job.progress || {};
    const state = job.state;
    const final = FINAL.has(state) && job.finished_at;
    el.className = 'job card state-' + state;
    el.querySelector('.job-album').textContent =
      job.album + (job.dry_run ? ' (dry run)' : job.watch ? ' (watching)' : '');
    el.querySelector('.job-folder').textContent = shortPath(job.folder);
    el.querySelector('.job-to').textContent = job.to;
    let label = STATE_LABELS[state] || state;
    const w = job.watching;
    if (state === 'running' && !c.scan_complete && !c.files_found) label = 'Scanning';
    if (state === 'running' && w) {
      label = !w.folder_present ? 'Folder gone' : w.syncing ? 'Syncing' : 'Watching';
    }
    if (state === 'running' && job.cancel_requested) label = w ? 'Stopping' : 'Cancelling';
    el.querySelector('.badge').textContent = label;

    const percent = Math.max(0, Math.min(100, Number(p.percent) || 0));
    const bar = el.querySelector('.bar');
    bar.setAttribute('aria-valuenow', String(Math.round(percent)));
    bar.setAttribute('aria-label', `Progress of ${job.album}`);
    el.querySelector('.bar-fill').style.width = percent + '%';
    el.querySelector('.percent').textContent = job.watching ? '' : Math.floor(percent) + '%';

    const settled = (c.files_uploaded || 0) + (c.files_failed || 0);
    const found = c.files_found || 0;
    el.querySelector('.files').textContent = w
      ? `${plural(w.files_uploaded || 0, 'file', 'files')} uploaded in ${plural(w.syncs || 0, 'sync', 'syncs')}` +
        (w.message ? ' · ' + w.message : '')
      : job.dry_run
        ? plural(found, 'file', 'files') + ' to upload'
        : `${final ? c.files_done || 0 : settled} of ${found}${c.scan_complete ? '' : '+'} files`;
    el.querySelector('.bytes').textContent = `${bytes(c.bytes_done)} of ${bytes(c.bytes_found)}`;
    const rate = p.bytes_per_second || 0;
    el.querySelector('.rate').textContent = rate > 0 ? bytes(rate) + '/s' : '';
    el.querySelector('.eta').textContent =
      !final && p.eta_seconds != null ? duration(p.eta_seconds) + ' left' : '';

    el.querySelector('.done-n').textContent = c.files_done || 0;
    el.querySelector('.unchanged-n').textContent = c.files_unchanged || 0;
    const failedCount = Math.max(job.failures_total || 0, c.files_failed || 0);
    el.querySelector('.failed-n').textContent = failedCount;
    el.querySelector('.chip-failed').classList.toggle('nonzero', failedCount > 0);

    const errorEl = el.querySelector('.job-error');
    errorEl.hidden = !job.error;
    errorEl.textContent = job.error ? job.error.message : '';

    const failures = job.failures || [];
    const details = el.querySelector('.failures');
    details.hidden = failures.length === 0;
    if (failures.length) {
      const more = (job.failures_total || failures.length) - failures.length;
      details.querySelector('summary').textContent =
        plural(job.failures_total || failures.length, 'item failed', 'items failed') +
        (more > 0 ? ` (latest ${failures.length} shown)` : '');
      const list = details.querySelector('.failure-list');
      list.replaceChildren(
        ...failures
          .slice()
          .reverse()
          .map((f) => {
            const li = document.createElement('li');
            const path = document.createElement('span');
            path.className = 'failure-path';
            path.textContent = f.path || '(folder)';
            const msg = document.createElement('span');
            msg.className = 'failure-message';
            msg.textContent = f.message;
            li.append(path, msg);
            return li;
          }),
      );
    }

    // The server's elapsed time, moved on by the time since it came.
    const elapsedMs = final ? p.elapsed_ms || 0 : (p.elapsed_ms || 0) + (Date.now() - (job.at || Date.now()));
    const elapsed = elapsedMs < 60000 ? (elapsedMs / 1000).toFixed(1) + ' s' : duration(elapsedMs / 1000);
    el.querySelector('.job-time').textContent = final
      ? `Started ${clock(job.created_at)} · took ${elapsed}`
      : `Started ${clock(job.created_at)}${elapsed ? ' · ' + elapsed : ''}`;
    const cancel = el.querySelector('.cancel');
    cancel.hidden = Boolean(final);
    cancel.disabled = Boolean(job.cancel_requested);
    cancel.textContent = job.cancel_requested ? 'Cancelling…' : w ? 'Stop watching' : 'Cancel';
    cancel.setAttribute('aria-label', `${w ? 'Stop watching' : 'Cancel the sync of'} ${job.album}`);
  }

  function renderList() {
    const list = $('job-list');
    const ids = [...jobs.keys()].sort((a, b) => b - a);
    for (const id of ids) renderJob(jobs.get(id));
    list.replaceChildren(...ids.map((id) => cards.get(id)));
    for (const id of [...cards.keys()]) if (!jobs.has(id)) cards.delete(id);
    $('jobs-empty').hidden = ids.length > 0;
    renderCount();
  }

  function renderCount() {
    const all = [...jobs.values()];
    const running = all.filter((j) => !(FINAL.has(j.state) && j.finished_at)).length;
    const parts = [];
    if (running) parts.push(`${running} running`);
    if (all.length - running) parts.push(`${all.length - running} finished`);
    $('jobs-count').textContent = parts.join(' · ');
  }

  function upsert(job) {
    job.at = Date.now();
    jobs.set(job.id, job);
    renderJob(job);
    if (!cards.get(job.id).isConnected) renderList();
    renderCount();
  }

  function applyProgress(update) {
    const job = jobs.get(update.id);
    if (!job) return;
    job.state = job.finished_at ? job.state : update.state;
    job.counters = update.counters;
    job.progress = update.progress;
    job.failures_total = update.failures_total;
    if (update.watching) job.watching = update.watching;
    job.at = Date.now();
    renderJob(job);
  }

  function applyFailure(event) {
    const job = jobs.get(event.job);
    if (!job) return;
    job.failures = (job.failures || []).concat([
      {
        path: event.path || '',
        kind: event.error ? event.error.kind : '',
        message: event.error ? event.error.message : 'failed',
      },
    ]).slice(-100);
    job.failures_total = Math.max(job.failures_total || 0, job.failures.length);
    renderJob(job);
  }

  async function loadAlbums() {
    let data;
    try {
      data = await api('GET', '/api/albums');
    } catch (e) {
      if (e instanceof AuthError) showSignin(e.message);
      return;
    }
    const rows = data.albums.map((a) => {
      const tr = document.createElement('tr');
      const lastRun = a.last_run && a.last_run.state
        ? `${STATE_LABELS[a.last_run.state] || a.last_run.state}, ${clock(a.last_run.started_at)}`
        : 'never';
      const cells = [
        [a.album, 'name', 'Album'],
        [shortPath(a.source.replace(/^local:/, '')), 'path', 'From'],
        [a.destination, 'path', 'To'],
        [String(a.committed), 'num', 'Items'],
        [String(a.failed), 'num', 'Failed'],
        [lastRun, 'when', 'Last run'],
      ];
      for (const [text, cls, label] of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        td.className = cls;
        td.dataset.label = label;
        tr.append(td);
      }
      return tr;
    });
    $('album-rows').replaceChildren(...rows);
    $('albums-empty').hidden = rows.length > 0;
  }

  // ---- live events -----------------------------------------------------
  function setConnection(kind, text) {
    const el = $('connection');
    el.className = 'connection ' + kind;
    $('connection-text').textContent = text;
  }

  function handleEvent(type, data) {
    let payload;
    try {
      payload = JSON.parse(data);
    } catch (e) {
      return;
    }
    switch (type) {
      case 'snapshot':
        jobs.clear();
        for (const job of payload.jobs) jobs.set(job.id, Object.assign(job, { at: Date.now() }));
        renderList();
        break;
      case 'job': {
        const wasFinal = jobs.has(payload.id) && jobs.get(payload.id).finished_at;
        upsert(payload);
        if (payload.finished_at && !wasFinal) loadAlbums();
        break;
      }
      case 'progress':
        applyProgress(payload);
        break;
      case 'item_failed':
      case 'scan_problem':
        applyFailure(payload);
        break;
      case 'shutdown':
        setConnection('down', 'Server stopped');
        break;
      default:
        break;
    }
  }

  async function streamEvents() {
    for (;;) {
      const controller = new AbortController();
      stream = controller;
      try {
        const headers = { Authorization: 'Bearer ' + token, Accept: 'text/event-stream' };
        if (lastEventId) headers['Last-Event-ID'] = lastEventId;
        const res = await fetch('/api/events?items=0', {
          headers,
          cache: 'no-store',
          signal: controller.signal,
        });
        if (res.status === 401) {
          showSignin('The access token is no longer valid.');
          return;
        }
        if (!res.ok || !res.body) throw new Error('events: ' + res.status);
        setConnection('live', 'Live');
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let type = 'message';
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('event: ')) type = line.slice(7);
              else if (line.startsWith('data: ')) data += line.slice(6);
              else if (line.startsWith('id: ')) lastEventId = line.slice(4);
            }
            if (data) handleEvent(type, data);
          }
        }
      } catch (e) {
        if (!token) return;
      }
      if (!token) return;
      setConnection('down', 'Reconnecting…');
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }

  // ---- actions ---------------------------------------------------------
  function patterns(text) {
    return text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }

  function destinationValue() {
    const plugin = $('destination').value;
    const location = $('location').value.trim();
    return location && !$('location-field').hidden ? plugin + ':' + location : plugin;
  }

  async function startJob(event) {
    event.preventDefault();
    const errorEl = $('job-error');
    errorEl.hidden = true;
    const folder = $('folder');
    const album = $('album');
    folder.removeAttribute('aria-invalid');
    album.removeAttribute('aria-invalid');
    const missing = [folder, album].filter((i) => !i.value.trim());
    if (missing.length) {
      missing.forEach((i) => i.setAttribute('aria-invalid', 'true'));
      errorEl.textContent = missing.length === 2
        ? 'Enter a folder and an album.'
        : `Enter ${missing[0] === folder ? 'a folder' : 'an album'}.`;
      errorEl.hidden = false;
      missing[0].focus();
      return;
    }
    const body = {
      folder: folder.value.trim(),
      album: album.value.trim(),
      to: destinationValue(),
      dry_run: $('dry-run').checked,
    };
    if ($('watch').checked) {
      if (body.dry_run) {
        errorEl.textContent = 'A dry run cannot keep watching: choose one.';
        errorEl.hidden = false;
        return;
      }
      body.watch = true;
    }
    const jobsValue = parseInt($('jobs').value, 10);
    if (jobsValue) body.jobs = jobsValue;
    const include = patterns($('include').value);
    const exclude = patterns($('exclude').value);
    if (include.length) body.include = include;
    if (exclude.length) body.exclude = exclude;
    const button = $('start-button');
    button.disabled = true;
    button.textContent = 'Starting…';
    try {
      const job = await api('POST', '/api/jobs', body);
      if (!jobs.has(job.id)) upsert(job);
      renderList();
      album.value = '';
    } catch (e) {
      if (e instanceof AuthError) {
        showSignin(e.message);
      } else {
        errorEl.textContent = e.message;
        errorEl.hidden = false;
      }
    } finally {
      button.disabled = false;
      button.textContent = 'Start sync';
    }
  }

  async function cancelJob(id, el) {
    const button = el.querySelector('.cancel');
    button.disabled = true;
    try {
      const job = await api('POST', `/api/jobs/${id}/cancel`);
      upsert(job);
    } catch (e) {
      if (e instanceof AuthError) showSignin(e.message);
      else button.disabled = false;
    }
  }

  function setUpDestinations(plugins, defaultDestination) {
    const select = $('destination');
    const destinations = plugins.filter((p) => p.kind === 'destination');
    const [defPlugin, ...rest] = defaultDestination.split(':');
    const defLocation = rest.join(':');
    select.replaceChildren(
      ...destinations.map((p) => {
        const option = document.createElement('option');
        option.value = p.name;
        option.textContent = p.name === 'gphotos' ? 'Google Photos' : p.description || p.name;
        if (p.name === 'folder') option.textContent = 'A folder on this machine';
        return option;
      }),
    );
    if (destinations.some((p) => p.name === defPlugin)) select.value = defPlugin;
    if (defLocation) $('location').value = defLocation;
    const update = () => {
      // Plugins that store into a local folder need one.
      $('location-field').hidden = select.value !== 'folder';
    };
    select.addEventListener('change', update);
    update();
  }

  async function boot() {
    token = readToken();
    if (!token) {
      showSignin('');
      return;
    }
    let plugins;
    try {
      [serverInfo, plugins] = await Promise.all([api('GET', '/api/server'), api('GET', '/api/plugins')]);
    } catch (e) {
      if (e instanceof AuthError) showSignin(e.message);
      else setConnection('down', 'Server unreachable');
      return;
    }
    $('signin').hidden = true;
    $('app').hidden = false;
    const root = serverInfo.allowed_roots[0] || '';
    $('folder').placeholder = root ? root + '/Pictures' : '/home/you/Pictures';
    $('folder-hint').textContent =
      'The photos and videos in this folder and below. Allowed: ' +
      serverInfo.allowed_roots.join(', ') + '.';
    $('jobs').placeholder = String(serverInfo.default_jobs);
    setUpDestinations(plugins.plugins, serverInfo.default_destination);
    loadAlbums();
    streamEvents();
    document.body.dataset.ready = '1';
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('job-form').addEventListener('submit', startJob);
    $('albums-refresh').addEventListener('click', loadAlbums);
    $('signin-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('token-input').value.trim();
      if (!value) return;
      localStorage.setItem(TOKEN_KEY, value);
      $('token-input').value = '';
      boot();
    });
    // Elapsed times keep moving between progress events.
    setInterval(() => {
      for (const job of jobs.values()) if (!FINAL.has(job.state)) renderJob(job);
    }, 1000);
    boot();
  });
})();
