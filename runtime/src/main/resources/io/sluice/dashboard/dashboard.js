// The Sluice dashboard: polls /api/queries every second and draws each query's progress.
// Query names and error messages are user text: they only ever go into textContent.
'use strict';

const POLL_MS = 1000;
const TABLE_ROWS = 15;
const COLORS = ['#2563eb', '#ea580c', '#0891b2', '#16a34a', '#9333ea', '#64748b'];
// A y range from zero, with room above the largest value: the state chart gives its bytes more
// room than its rows, which keeps two steady lines apart.
const fromZero = headroom => (u, min, max) => [0, max > 0 ? max * headroom : 1];
const views = new Map(); // by run id: a query's section and its charts

const time = p => Date.parse(p.timestamp) / 1000;
const sum = (list, field) => list.reduce((total, item) => total + item[field], 0);

// Each chart: its series and, for a list of progress, one array per series (x first).
// A chart with no value at all is shown as absent, with the reason given here.
const CHARTS = {
  // On a log scale: processing often runs orders of magnitude above the input rate.
  rates: {
    series: [{label: 'input'}, {label: 'processed'}],
    scales: {y: {distr: 3}},
    columns: ps => [ps.map(p => positive(p.inputRowsPerSecond)),
      ps.map(p => positive(p.processedRowsPerSecond))],
  },
  duration: {
    series: [{label: 'total', fill: 'rgba(37, 99, 235, 0.12)'}, {label: 'addBatch'},
      {label: 'walCommit'}, {label: 'latestOffset'}, {label: 'commitOffsets'}],
    columns: ps => ['triggerExecution', 'addBatch', 'walCommit', 'latestOffset', 'commitOffsets']
        .map(phase => ps.map(p => p.durationMs[phase] ?? null)),
  },
  state: {
    absent: 'no stateful operator',
    series: [{label: 'rows'}, {label: 'bytes', scale: 'bytes', dash: [6, 4]}],
    scales: {y: {range: fromZero(1.25)}, bytes: {range: fromZero(1.8)}},
    axes: [{scale: 'bytes', side: 1, grid: {show: false}, size: 70,
      values: (u, ticks) => ticks.map(bytes)}],
    columns: ps => [
      ps.map(p => p.stateOperators.length ? sum(p.stateOperators, 'numRowsTotal') : null),
      ps.map(p => p.stateOperators.length ? sum(p.stateOperators, 'memoryUsedBytes') : null)],
  },
  watermark: {
    absent: 'no watermark',
    series: [{label: 'delay'}],
    scales: {y: {range: fromZero(1.25)}},
    columns: ps => [ps.map(watermarkDelay)],
  },
};

// Batch time minus watermark; none before the first watermark, which starts at the epoch.
function watermarkDelay(p) {
  const watermark = p.eventTime && Date.parse(p.eventTime.watermark);
  return watermark > 0 ? Date.parse(p.timestamp) - watermark : null;
}

function bytes(n) {
  if (n == null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  for (; n >= 1024 && i < units.length - 1; i++) n /= 1024;
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

const positive = n => n > 0 ? n : null;
// Axis ticks: exact below 100,000 (a delay of 11,020 ms), short above (150K rows/s).
const tick = n => n == null ? '' : Math.abs(n) < 1e5 ? number(n)
    : n.toLocaleString('en-US', {notation: 'compact', maximumFractionDigits: 1});
const number = n => n == null ? '' : n.toLocaleString('en-US', {maximumFractionDigits: 1});
const clock = iso => new Date(iso).toLocaleTimeString('en-GB');

async function poll() {
  try {
    const response = await fetch('/api/queries', {cache: 'no-store'});
    if (!response.ok) throw new Error('HTTP ' + response.status);
    const body = await response.json();
    render(body.queries);
    setConnection('updated ' + new Date().toLocaleTimeString('en-GB'), false);
  } catch (e) {
    setConnection('cannot reach the engine (' + e.message + ')', true);
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

function setConnection(text, broken) {
  const el = document.getElementById('connection');
  el.textContent = text;
  el.classList.toggle('broken', broken);
}

function render(queries) {
  const seen = new Set(queries.map(q => q.runId));
  for (const [runId, view] of views) {
    if (!seen.has(runId)) {
      view.charts.forEach(c => c.plot && c.plot.destroy());
      view.section.remove();
      views.delete(runId);
    }
  }
  document.getElementById('no-queries').hidden = queries.length > 0;
  for (const q of queries) {
    if (!views.has(q.runId)) views.set(q.runId, createView());
    update(views.get(q.runId), q);
  }
}

function createView() {
  const section = document.getElementById('query').content.firstElementChild.cloneNode(true);
  document.getElementById('queries').appendChild(section);
  const charts = [...section.querySelectorAll('.chart')]
      .map(figure => ({figure, spec: CHARTS[figure.dataset.chart], plot: null}));
  return {section, charts};
}

function update(view, q) {
  const s = view.section;
  const last = q.recentProgress[q.recentProgress.length - 1];
  const status = q.exception ? 'failed' : q.active ? 'active' : 'stopped';
  s.querySelector('.name').textContent = q.name;
  s.querySelector('.status').textContent = status;
  s.querySelector('.status').dataset.status = status;
  s.querySelector('.id').textContent = q.id;
  s.querySelector('.run-id').textContent = q.runId;
  s.querySelector('.batches').textContent = last ? number(last.batchId + 1) : '0';
  s.querySelector('.last-batch').textContent = last ? clock(last.timestamp) : 'none yet';
  const exception = s.querySelector('.exception');
  exception.hidden = !q.exception;
  exception.textContent = q.exception || '';
  view.charts.forEach(chart => draw(chart, q.recentProgress));
  fillTable(s.querySelector('.progress tbody'), q.recentProgress);
}

function draw(chart, progress) {
  const columns = chart.spec.columns(progress);
  const absent = progress.length === 0 ? 'no batch yet'
      : chart.spec.absent && columns.every(values => values.every(v => v == null))
          ? chart.spec.absent : null;
  chart.figure.querySelector('.absent').hidden = !absent;
  chart.figure.querySelector('.absent').textContent = absent || '';
  chart.figure.querySelector('.plot').hidden = Boolean(absent);
  if (absent) {
    chart.figure.dataset.points = '0';
    return;
  }
  const data = [progress.map(time), ...columns];
  if (chart.plot) {
    chart.plot.setData(data);
  } else {
    chart.plot = new uPlot(options(chart), data, chart.figure.querySelector('.plot'));
  }
}

function options(chart) {
  const plot = chart.figure.querySelector('.plot');
  return {
    width: plot.clientWidth,
    height: 190,
    cursor: {drag: {x: false}},
    scales: {x: {time: true}, ...chart.spec.scales},
    legend: {live: false},
    series: [{}, ...chart.spec.series.map((series, i) => ({
      stroke: COLORS[i], width: 2, points: {size: 4}, ...series}))],
    axes: [{}, {size: 56, values: (u, ticks) => ticks.map(tick)}, ...(chart.spec.axes || [])],
    // Tells a reader of the DOM (and the dashboard's test) how many batches the chart shows.
    hooks: {draw: [u => { chart.figure.dataset.points = String(pointsWithValue(u.data)); }]},
  };
}

function pointsWithValue(data) {
  let points = 0;
  for (let i = 0; i < data[0].length; i++) {
    if (data.slice(1).some(values => values[i] != null)) points++;
  }
  return points;
}

function fillTable(body, progress) {
  const rows = progress.slice(-TABLE_ROWS).reverse().map(p => [
    p.batchId, clock(p.timestamp), number(p.numInputRows), number(p.inputRowsPerSecond),
    number(p.processedRowsPerSecond), number(p.batchDuration),
    p.stateOperators.length ? number(sum(p.stateOperators, 'numRowsTotal')) : '',
    number(p.sink.numOutputRows)]);
  body.replaceChildren(...rows.map(cells => {
    const tr = document.createElement('tr');
    for (const cell of cells) tr.appendChild(document.createElement('td')).textContent = cell;
    return tr;
  }));
}

window.addEventListener('resize', () => {
  for (const view of views.values()) {
    for (const chart of view.charts) {
      if (chart.plot) chart.plot.setSize({width: chart.figure.querySelector('.plot').clientWidth,
        height: 190});
    }
  }
});

poll();
