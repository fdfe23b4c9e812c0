// The token inspector's page. It decides nothing: it sends the token to the local server, which answers
// with `explain` (the middleware's own engine), and shows that answer. Everything is built with
// textContent, never as HTML, since the token and the document are the user's data.

const $ = (id) => document.getElementById(id);
const form = $('inspect-form');
const tokenInput = $('token');
const operationSelect = $('operation');
const compatibilitySelect = $('compatibility');
const offlineBox = $('offline');
const submitButton = $('submit');
const formError = $('form-error');
const result = $('result');

const EVERY_OPERATION = '*';

/** How each compatibility is named on the page. */
const COMPATIBILITY_LABELS = { espv2: 'ESPv2', esp: 'ESP v1', 'esp-1.32': 'ESP v1.32' };

/** How each check is named on the page (explain's check names stay in data-check). */
const CHECK_LABELS = {
  operation: 'Operation',
  token: 'Token sent',
  parse: 'Token format',
  issuer: 'Issuer',
  time: 'Time (nbf, exp)',
  audience: 'Audience',
  keys: 'Keys',
  signature: 'Signature',
  scopes: 'Scopes',
  api_key: 'API key',
  internal: 'Internal',
};

/** The token fields each check reads, shown beside it as "the token holds". */
const TOKEN_FIELDS = {
  parse: [['header', 'alg'], ['header', 'kid'], ['header', 'typ']],
  issuer: [['payload', 'iss']],
  time: [['payload', 'nbf'], ['payload', 'exp'], ['payload', 'iat']],
  audience: [['payload', 'aud']],
  signature: [['header', 'alg'], ['header', 'kid']],
  scopes: [['payload', 'scope'], ['payload', 'scp']],
};

/** Claims that are times in seconds since the epoch. */
const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat', 'auth_time']);

/** Operations by operationId, to name them as METHOD /path. */
const operationsById = new Map();

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child !== undefined && child !== null) node.append(child);
  return node;
}

function relative(deltaSeconds) {
  const a = Math.abs(deltaSeconds);
  const [n, unit] = a < 90 ? [Math.round(a), 's'] : a < 90 * 60 ? [Math.round(a / 60), 'min'] : a < 36 * 3600 ? [Math.round(a / 3600), 'h'] : [Math.round(a / 86400), 'd'];
  if (n === 0) return 'now';
  return deltaSeconds > 0 ? `in ${n} ${unit}` : `${n} ${unit} ago`;
}

/** A claim's value as text; times also as a UTC date and relative to the inspector's clock. */
function showValue(name, value, nowSeconds) {
  const text = JSON.stringify(value);
  if (!TIME_CLAIMS.has(name) || typeof value !== 'number' || !Number.isFinite(value)) return text;
  const date = new Date(value * 1000);
  if (Number.isNaN(date.getTime())) return text;
  return `${text} · ${date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} · ${relative(value - nowSeconds)}`;
}

function fieldList(fields, nowSeconds, testid) {
  const list = el('dl', { class: 'fields', 'data-testid': testid });
  for (const [name, value] of fields) list.append(el('dt', {}, name), el('dd', {}, showValue(name, value, nowSeconds)));
  return list;
}

function describeOperation(id) {
  if (id === null) return 'no operation of the document';
  const op = operationsById.get(id);
  return op ? `${op.value} (${id})` : id;
}

function verdictText(r) {
  // Over every operation, say on how many the verdict holds: an operation that needs no token lets any
  // token through, and the verdict is that of the operations that check one.
  if (r.verdict !== 'allow') {
    const denying = r.operations ? r.operations.filter((o) => o.verdict !== 'allow').length : 0;
    const where = r.operations && denying < r.operations.length ? ` on ${denying} of ${r.operations.length} operations` : '';
    return `deny${where}: ${r.status} ${r.message}`;
  }
  const allowing = r.operations ? r.operations.filter((o) => o.verdict === 'allow').length : 0;
  const scope = r.operations ? ` on ${allowing} of ${r.operations.length} operations` : '';
  return r.offline ? `allow${scope} (offline: signature not checked)` : `allow${scope}`;
}

function tokenHolds(check, seen) {
  return (TOKEN_FIELDS[check] ?? [])
    .map(([part, name]) => [name, (part === 'header' ? seen.header : seen.claims)?.[name]])
    .filter(([, value]) => value !== undefined);
}

function renderStep(step, report, answer) {
  const label = CHECK_LABELS[step.check] ?? step.check;
  const holds = tokenHolds(step.check, answer.token);
  const body = [
    holds.length ? el('div', { class: 'holds' }, el('span', { class: 'holds-title' }, 'The token holds'), fieldList(holds, answer.now, `holds-${step.check}`)) : null,
    el('p', { class: 'detail' }, step.detail),
  ];
  if (step.ok) {
    return el(
      'li',
      { class: 'step pass', 'data-check': step.check },
      el('details', {}, el('summary', {}, el('span', { class: 'mark' }, '✓ pass'), ' ', el('span', { class: 'check-name' }, label)), ...body),
    );
  }
  return el(
    'li',
    { class: 'step fail', 'data-check': step.check, 'data-testid': 'failed-step' },
    el('p', { class: 'step-title' }, el('span', { class: 'mark' }, '✗ FAIL'), ' ', el('span', { class: 'check-name' }, label)),
    ...body,
    report.hint ? el('p', { class: 'fix' }, el('strong', {}, 'Fix: '), report.hint) : null,
    step.check === 'keys' ? el('p', { class: 'fix', 'data-testid': 'offline-advice' }, 'No network here? Tick Offline to run every other check; the signature is then not checked.') : null,
  );
}

function renderOperations(report) {
  const rows = report.operations.map((o) =>
    el('tr', { class: o.verdict }, el('td', {}, describeOperation(o.operation)), el('td', {}, o.verdict === 'allow' ? 'allow' : `deny: ${o.status} ${o.message}`)),
  );
  return el(
    'table',
    { class: 'operations', 'data-testid': 'operations' },
    el('caption', {}, 'Every operation (the checks above are for the first that allows, or else the first)'),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Operation'), el('th', { scope: 'col' }, 'Verdict'))),
    el('tbody', {}, ...rows),
  );
}

function renderDecoded(answer) {
  const { header, claims } = answer.token;
  $('decoded').hidden = false;
  $('decoded-header').replaceWith(decodedList(header, answer.now, 'decoded-header', 'header'));
  $('decoded-payload').replaceWith(decodedList(claims, answer.now, 'decoded-payload', 'payload'));
}

function decodedList(part, nowSeconds, id, testid) {
  if (!part) return el('dl', { id, 'data-testid': testid }, el('dt', {}, '(not decodable)'), el('dd', {}, 'this section is not base64url JSON'));
  const list = fieldList(Object.entries(part), nowSeconds, testid);
  list.id = id;
  return list;
}

function render(answer, compatibility) {
  const r = answer.report;
  renderDecoded(answer);
  const verdict = el(
    'div',
    { class: `verdict ${r.verdict}` },
    el('p', { class: 'verdict-line', 'data-testid': 'verdict' }, verdictText(r)),
    el('p', { class: 'verdict-operation' }, `Operation: ${describeOperation(r.operation)} · answered as ${compatibility}`),
    r.reason ? el('p', { class: 'verdict-reason' }, `Reason: ${r.reason}`) : null,
    r.offline
      ? el('p', { class: 'offline-notice', 'data-testid': 'offline-notice' }, 'Offline: the keys were not downloaded and the signature was NOT checked.')
      : null,
  );
  const steps = el('ol', { class: 'steps', 'data-testid': 'steps', 'aria-label': 'Checks in ESP order' }, ...r.steps.map((s) => renderStep(s, r, answer)));
  result.replaceChildren(verdict, steps, r.operations ? renderOperations(r) : '');
}

function showError(message) {
  formError.textContent = message;
}

async function check() {
  showError('');
  if (!tokenInput.value.trim()) {
    showError('Paste a token first.');
    tokenInput.focus();
    return;
  }
  // aria-disabled rather than disabled: a disabled button would drop the keyboard focus.
  if (submitButton.getAttribute('aria-disabled') === 'true') return;
  submitButton.setAttribute('aria-disabled', 'true');
  result.setAttribute('aria-busy', 'true');
  try {
    const question = {
      token: tokenInput.value,
      operation: operationSelect.value,
      compatibility: compatibilitySelect.value,
      offline: offlineBox.checked,
    };
    const response = await fetch('/api/inspect', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(question) });
    const body = await response.json().catch(() => ({ error: `the inspector answered HTTP ${response.status}` }));
    if (!response.ok) showError(body.error ?? `the inspector answered HTTP ${response.status}`);
    else render(body, COMPATIBILITY_LABELS[question.compatibility] ?? question.compatibility);
  } catch (e) {
    showError(`The inspector server cannot be reached (${e.message}). Is espresso-jwt inspect still running?`);
  } finally {
    submitButton.removeAttribute('aria-disabled');
    result.removeAttribute('aria-busy');
  }
}

async function start() {
  const response = await fetch('/api/document');
  const doc = await response.json();
  $('document-name').textContent = `${doc.title}${doc.serviceName ? ` (${doc.serviceName})` : ''}: ${doc.operations.length} operation${doc.operations.length === 1 ? '' : 's'}`;
  for (const op of doc.operations) {
    operationsById.set(op.id, op);
    operationSelect.append(el('option', { value: op.value }, `${op.value} · ${op.id} · ${op.requires}`));
  }
  operationSelect.append(el('option', { value: EVERY_OPERATION }, 'Every operation'));
  for (const c of doc.compatibilities) compatibilitySelect.append(el('option', { value: c }, COMPATIBILITY_LABELS[c] ?? c));
  compatibilitySelect.value = doc.compatibility;
  document.body.dataset.ready = 'true';
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void check();
});
tokenInput.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    form.requestSubmit();
  }
});
start().catch((e) => showError(`Cannot read the document from the inspector server: ${e.message}`));
