// rsk web console: plain JavaScript over the public /v1 routes (docs/api.md). The page is open; when the API
// requires a token (rsk.api.tokens), the one typed in the header is kept in localStorage and sent as
// "Authorization: Bearer" on every fetch. Charts use the vendored Chart.js (vendor/README.md).
'use strict';

const $ = (id) => document.getElementById(id);
const charts = {};
const params = new URLSearchParams(location.search);
let span = null; // the catalogue's [first seen, one hour after last seen], the query box's default range

function status(text, error) {
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
}

async function api(path, body) {
  const headers = {};
  const token = $('token').value.trim();
  if (token) headers['Authorization'] = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, body === undefined ? { headers } : { method: 'POST', headers, body });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch (e) { json = { error: text }; }
  if (!res.ok) {
    const msg = res.status + ' ' + (json.error || json.message || text);
    throw new Error(res.status === 401 || res.status === 403 ? msg + ' (set the bearer token above)' : msg);
  }
  return json;
}

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text;
  row.appendChild(td);
  return td;
}

function minute(iso) {
  return iso ? iso.substring(0, 16).replace('T', ' ') : '';
}

function hourAfter(iso) {
  return new Date(Date.parse(iso) + 3600 * 1000).toISOString();
}

// A bucket giving at most ~200 bars over the module's lifetime.
function bucketFor(from, to) {
  const hours = (Date.parse(to) - Date.parse(from)) / 3600e3;
  if (hours <= 200) return 'PT1H';
  if (hours <= 200 * 24) return 'P1D';
  return 'P7D';
}

function draw(id, type, labels, label, data, yMax) {
  if (charts[id]) charts[id].destroy();
  charts[id] = new Chart($(id), {
    type,
    data: { labels, datasets: [{ label, data, backgroundColor: '#5b8fd9', borderColor: '#2f5fa8', pointRadius: 0, fill: false }] },
    options: { animation: false, scales: { y: { beginAtZero: true, max: yMax } } },
  });
}

async function loadModules() {
  const res = await api('/v1/modules');
  const body = $('modules').tBodies[0];
  body.replaceChildren();
  for (const m of res.modules) {
    const row = document.createElement('tr');
    row.dataset.module = m.module;
    [m.module, m.inferences.toLocaleString(), m.objects.toLocaleString(), m.attributeLength, minute(m.firstSeen),
      minute(m.lastSeen)]
      .forEach((v) => cell(row, v));
    row.addEventListener('click', () => selectModule(m).catch((e) => status(e.message, true)));
    body.appendChild(row);
  }
  if (res.modules.length) {
    const first = res.modules.map((m) => m.firstSeen).sort()[0];
    const last = res.modules.map((m) => m.lastSeen).sort().pop();
    span = { from: first, to: hourAfter(last) };
  }
  status(res.modules.length + ' modules' + (res.stale ? ' (stale: an instance is unavailable)' : ''));
  return res.modules;
}

async function selectModule(m) {
  for (const r of $('modules').tBodies[0].rows) r.classList.toggle('selected', r.dataset.module === m.module);
  $('module-name').textContent = m.module;
  $('module-name-2').textContent = m.module;
  const from = m.firstSeen, to = hourAfter(m.lastSeen);
  const range = 'from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to);
  const name = encodeURIComponent(m.module);
  const zone = encodeURIComponent($('zone').value.trim() || 'UTC');
  const [freq, hours] = await Promise.all([
    api('/v1/modules/' + name + '/frequency?' + range + '&bucket=' + bucketFor(from, to)),
    api('/v1/modules/' + name + '/hours?' + range + '&zone=' + zone)]);
  draw('frequency-chart', 'line', freq.buckets.map((b) => b.start.substring(0, 16).replace('T', ' ')),
    'inferences with ' + m.module + ' per ' + freq.bucket, freq.buckets.map((b) => b.withModule));
  draw('hours-chart', 'bar', hours.hours.map((h) => h.hour + 'h'),
    'share of inferences with ' + m.module + ' (' + hours.zone + ', peak ' + hours.peakHour + 'h)',
    hours.hours.map((h) => h.fraction), 1);
}

function treeNode(node, slot) {
  const li = document.createElement('li');
  if (slot) {
    const s = document.createElement('span');
    s.className = 'slot';
    s.textContent = slot + ':';
    li.appendChild(s);
  }
  const n = document.createElement('span');
  n.className = 'node';
  n.textContent = node.module + ' (presence ' + node.presence.toFixed(2) + ')';
  n.title = 'tag path ' + (node.tagPath || []).join('/') + '; mean attributes '
    + (node.meanAttributes ? Array.from(node.meanAttributes).map((v) => v.toFixed(2)).join(', ') : '-');
  li.appendChild(n);
  const children = Object.entries(node.children || {});
  if (children.length) {
    const ul = document.createElement('ul');
    for (const [childSlot, list] of children) list.forEach((c) => ul.appendChild(treeNode(c, childSlot)));
    li.appendChild(ul);
  }
  return li;
}

async function showInference(id) {
  const inf = await api('/v1/inferences/' + encodeURIComponent(id));
  $('inference-meta').textContent = inf.inferenceId + ' from ' + inf.source + ' at ' + inf.eventTime
    + (inf.complete ? '' : ' (incomplete)') + '; decoded modules: '
    + inf.modules.map((m) => m.module + ' ≈' + m.count.toFixed(1)).join(', ');
  const ul = document.createElement('ul');
  if (inf.structure) ul.appendChild(treeNode(inf.structure));
  $('tree').replaceChildren(ul);
  const similar = await api('/v1/similar', JSON.stringify({ inferenceId: id, k: 5 }));
  const body = $('similar').tBodies[0];
  body.replaceChildren();
  for (const m of similar.results) {
    const row = document.createElement('tr');
    const a = document.createElement('a');
    a.textContent = m.inferenceId;
    a.addEventListener('click', () => { $('inference-id').value = m.inferenceId; showInference(m.inferenceId).catch((e) => status(e.message, true)); });
    cell(row, '').appendChild(a);
    [m.cosine.toFixed(3), m.eventTime, m.source].forEach((v) => cell(row, v));
    body.appendChild(row);
  }
}

// Without from/to the API's default is the last 365 days; the console defaults to the catalogue's whole span.
async function runQuery() {
  let body;
  try { body = JSON.parse($('query').value); } catch (e) { throw new Error('the query is not JSON: ' + e.message); }
  if (span && body && typeof body === 'object' && !body.from && !body.to) Object.assign(body, span);
  const res = await api('/v1/query', JSON.stringify(body));
  $('query-result').textContent = JSON.stringify(res, null, 2);
}

async function reload() {
  status('loading...');
  const modules = await loadModules();
  const wanted = params.get('module');
  const first = modules.find((m) => m.module === wanted) || modules[0];
  if (first) await selectModule(first);
  if ($('inference-id').value.trim()) await showInference($('inference-id').value.trim());
}

function guard(promise) {
  promise.catch((e) => status(e.message, true));
}

$('token').value = localStorage.getItem('rsk.token') || '';
$('token').addEventListener('change', () => localStorage.setItem('rsk.token', $('token').value.trim()));
$('zone').value = params.get('zone') || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
$('inference-id').value = params.get('inference') || '';
$('reload').addEventListener('click', () => guard(reload()));
$('inference-form').addEventListener('submit', (e) => { e.preventDefault(); guard(showInference($('inference-id').value.trim())); });
$('query-form').addEventListener('submit', (e) => { e.preventDefault(); guard(runQuery()); });
guard(reload().then(() => status($('status').textContent + ' · ready')));
