// The live board page: follows GET /api/v1/scoreboards/{id}/live (a snapshot, then one change per event of
// the board; docs/api.md) and shows the ranking as it moves. Plain script, no build step: the query service
// ships this file as it is.
'use strict';

(() => {
  const boardId = decodeURIComponent(location.pathname.split('/').pop());
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  // ?token= goes on to the API as it came (private boards will need it); nowhere else.
  const credential = token === null ? '' : '?token=' + encodeURIComponent(token);
  const boardUrl = '/api/v1/scoreboards/' + encodeURIComponent(boardId);
  const FIRST_RETRY_MS = 2000;
  const GONE_RETRY_MS = 30000; // a deleted board may be restored: look again now and then
  const HIGHLIGHT_MS = 4000;
  const SCALE = 10000n; // scores have at most 4 fractional digits (docs/api.md)
  const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');

  if (params.get('tv') === '1') {
    document.documentElement.classList.add('tv');
  }

  const body = document.body;
  const nameHeading = document.getElementById('board-name');
  const status = document.getElementById('status');
  const message = document.getElementById('message');
  const ranking = document.getElementById('ranking');
  const rankingRows = document.getElementById('ranking-rows');
  const teams = document.getElementById('teams');
  const teamRows = document.getElementById('team-rows');

  let board = null; // name, scoreOrder, ranking, version, position, as the stream last said
  const participants = new Map(); // participantId -> {participantId, name, score (text), rank, teamId}
  const teamNames = new Map(); // teamId -> name, of the board's current teams
  const rows = new Map(); // participantId -> its <tr>, kept across changes so that a row moves, not reappears
  const highlightTimers = new Map();
  let source = null;
  let retryTimer = null;
  let retryDelay = FIRST_RETRY_MS;
  let deleted = false;

  // Scores stay the text the server sent: 123456789012345.6789 is no double. JSON.parse's source text (the
  // reviver's third argument) gives it; a browser without it falls back to the number's own text.
  function parse(text) {
    return JSON.parse(text, (key, value, context) =>
      key === 'score' && typeof value === 'number' ? (context && context.source) || String(value) : value);
  }

  function setStatus(state) {
    const text = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', gone: 'offline' }[state];
    status.dataset.state = state;
    if (status.textContent !== text) {
      status.textContent = text;
    }
  }

  function connect() {
    clearTimeout(retryTimer);
    source = new EventSource(boardUrl + '/live' + credential);
    source.addEventListener('open', () => {
      retryDelay = FIRST_RETRY_MS;
      setStatus('live');
    });
    source.addEventListener('snapshot', (event) => receive(event, showSnapshot));
    source.addEventListener('change', (event) => receive(event, applyChange));
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CONNECTING) {
        setStatus('reconnecting'); // the browser reconnects by itself, with Last-Event-ID: nothing is missed
      } else {
        whyClosed(); // an answer that is no stream (404, 503 …): the browser gives up on it, so we decide
      }
    });
  }

  // A message that does not parse (a known, rare fault with very large messages, docs/api.md) must not be
  // skipped: the browser's own reconnect would resume after its id. A new stream starts with a fresh snapshot.
  // Backs off while messages keep failing, so a fault that repeats cannot make the page reconnect every 2 s.
  let unparsed = 0;
  function receive(event, show) {
    let data;
    try {
      data = parse(event.data);
    } catch (e) {
      source.close();
      setStatus('reconnecting');
      retryTimer = setTimeout(connect, Math.min(FIRST_RETRY_MS * 2 ** unparsed, GONE_RETRY_MS));
      unparsed++;
      return;
    }
    unparsed = 0;
    show(data);
  }

  // EventSource does not tell the status it was refused with; the board's plain GET does.
  async function whyClosed() {
    source.close();
    let answer = 0;
    try {
      answer = (await fetch(boardUrl + credential, { cache: 'no-store' })).status;
    } catch (e) {
      answer = 0; // the service is unreachable: try again below
    }
    if (answer === 404) {
      showGone(deleted ? 'This board was deleted' : 'This board does not exist');
      return;
    }
    setStatus('reconnecting');
    retryTimer = setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, GONE_RETRY_MS);
  }

  function showGone(text) {
    if (source) {
      source.close();
    }
    body.dataset.state = deleted ? 'deleted' : 'missing';
    message.textContent = text;
    message.hidden = false;
    document.title = text;
    ranking.hidden = true;
    teams.hidden = true;
    setStatus('gone');
    retryTimer = setTimeout(connect, GONE_RETRY_MS);
  }

  // A snapshot replaces everything shown (the first one, and any the server sends later).
  function showSnapshot(snapshot) {
    const before = currentRanks();
    board = {
      name: snapshot.name, scoreOrder: snapshot.scoreOrder, ranking: snapshot.ranking,
      version: snapshot.version, position: snapshot.position,
    };
    participants.clear();
    for (const p of snapshot.participants) {
      participants.set(p.participantId, Object.assign({ teamId: null }, p));
    }
    teamNames.clear();
    for (const t of snapshot.teams || []) {
      teamNames.set(t.teamId, t.name);
    }
    if (snapshot.deleted) {
      deleted = true;
      showGone('This board was deleted');
      return;
    }
    deleted = false;
    message.hidden = true;
    ranking.hidden = false;
    body.dataset.state = 'live';
    render(before, new Set());
  }

  // A change lists only the participants whose score, rank, name or team changed; the others keep theirs.
  function applyChange(change) {
    if (board === null) {
      return; // the stream always starts with a snapshot; nothing to apply a change to before it
    }
    const before = currentRanks();
    const touched = new Set();
    for (const p of change.participants || []) {
      touched.add(p.participantId);
      if (p.removed) {
        participants.delete(p.participantId);
      } else {
        participants.set(p.participantId, Object.assign({}, participants.get(p.participantId), p));
      }
    }
    if (change.board) {
      Object.assign(board, change.board);
    }
    // Teams created, renamed, removed or restored by the event (a removed team's members come as teamless above).
    for (const t of change.teams || []) {
      if (t.removed) {
        teamNames.delete(t.teamId);
      } else {
        teamNames.set(t.teamId, t.name);
      }
    }
    board.version = change.version;
    board.position = change.position;
    if (change.type === 'ScoreboardDeleted') {
      deleted = true;
      showGone('This board was deleted');
      return;
    }
    render(before, touched);
  }

  function currentRanks() {
    const ranks = new Map();
    for (const p of participants.values()) {
      ranks.set(p.participantId, p.rank);
    }
    return ranks;
  }

  function byRankThenName(a, b) {
    const ra = a.rank === null ? Infinity : a.rank;
    const rb = b.rank === null ? Infinity : b.rank;
    return ra - rb || a.name.localeCompare(b.name);
  }

  function render(before, touched) {
    nameHeading.textContent = board.name;
    document.title = board.name + ' – live';
    ranking.dataset.position = board.position;
    ranking.dataset.version = board.version;

    const tops = rowTops();
    for (const [id, row] of rows) {
      if (!participants.has(id)) {
        row.remove();
        rows.delete(id);
      }
    }
    // Walk the rows in their new order and move only those out of place: a board of thousands stays cheap.
    let cursor = rankingRows.firstElementChild;
    for (const p of [...participants.values()].sort(byRankThenName)) {
      let row = rows.get(p.participantId);
      if (!row) {
        row = newRow(3);
        rows.set(p.participantId, row);
      }
      fillRow(row, p);
      if (row === cursor) {
        cursor = cursor.nextElementSibling;
      } else {
        rankingRows.insertBefore(row, cursor);
      }
      const was = before.get(p.participantId);
      if (was !== undefined && was !== null && p.rank !== null && p.rank !== was) {
        highlight(row, p.rank < was ? 'up' : 'down');
      } else if (touched.has(p.participantId)) {
        highlight(row, 'changed');
      }
    }
    slide(tops);
    renderTeams();
  }

  function newRow(cells) {
    const row = document.createElement('tr');
    for (let i = 0; i < cells; i++) {
      row.appendChild(document.createElement('td'));
    }
    row.cells[0].className = 'rank';
    row.cells[1].className = 'name';
    row.cells[2].className = 'score';
    return row;
  }

  // textContent only: names are whatever people typed.
  function fillRow(row, p) {
    row.dataset.participantId = p.participantId;
    row.dataset.rank = p.rank;
    row.dataset.score = p.score;
    if (p.teamId === null || p.teamId === undefined) {
      delete row.dataset.teamId;
    } else {
      row.dataset.teamId = p.teamId;
    }
    setText(row.cells[0], String(p.rank));
    setText(row.cells[1], p.name);
    setText(row.cells[2], p.score);
  }

  function setText(cell, text) {
    if (cell.textContent !== text) {
      cell.textContent = text; // unchanged cells are left alone, so the live region reads only what changed
    }
  }

  // A moved row shows an arrow and a short highlight; data-moved says which, for tests and styles alike.
  function highlight(row, how) {
    clearTimeout(highlightTimers.get(row));
    row.dataset.moved = how;
    row.cells[0].dataset.arrow = { up: '▲', down: '▼', changed: '' }[how];
    highlightTimers.set(row, setTimeout(() => {
      delete row.dataset.moved;
      delete row.cells[0].dataset.arrow;
      highlightTimers.delete(row);
    }, HIGHLIGHT_MS));
  }

  // Rows glide from where they were to where they are now (measured before and after the move).
  function rowTops() {
    const tops = new Map();
    if (reducedMotion.matches || rows.size > 200) {
      return tops; // animating thousands of rows helps no one
    }
    for (const [id, row] of rows) {
      tops.set(id, row.getBoundingClientRect().top);
    }
    return tops;
  }

  function slide(tops) {
    for (const [id, top] of tops) {
      const row = rows.get(id);
      const shift = row ? top - row.getBoundingClientRect().top : 0;
      if (shift !== 0 && row.animate) {
        row.animate([{ transform: `translateY(${shift}px)` }, { transform: 'none' }],
          { duration: 500, easing: 'ease-out' });
      }
    }
  }

  // Team standings: each team's members' scores summed exactly (BigInt in units of 0.0001; a team without members
  // has 0), ranked by the board's order and ranking as GET /teams ranks them. ORDINAL ties go by name here: the
  // stream does not say which team reached its score first (GET /teams does).
  function renderTeams() {
    const totals = new Map();
    for (const teamId of teamNames.keys()) {
      totals.set(teamId, 0n);
    }
    for (const p of participants.values()) {
      if (p.teamId !== null && p.teamId !== undefined) {
        totals.set(p.teamId, (totals.get(p.teamId) || 0n) + toUnits(p.score));
      }
    }
    teams.hidden = totals.size === 0;
    teamRows.replaceChildren();
    const lowestFirst = board.scoreOrder === 'LOWEST_FIRST';
    const nameOf = (teamId) => teamNames.get(teamId) || teamId;
    const ordered = [...totals].sort(([ia, a], [ib, b]) => (a === b
      ? nameOf(ia).localeCompare(nameOf(ib)) || (ia < ib ? -1 : ia > ib ? 1 : 0)
      : (a < b) === lowestFirst ? -1 : 1));
    let rank = 0;
    let distinct = 0;
    ordered.forEach(([teamId, total], i) => {
      const tied = i > 0 && ordered[i - 1][1] === total;
      if (!tied) {
        rank = i + 1;
        distinct++;
      }
      const shown = String(board.ranking === 'DENSE' ? distinct : board.ranking === 'ORDINAL' ? i + 1 : rank);
      const row = newRow(3);
      row.dataset.teamId = teamId;
      row.dataset.rank = shown;
      row.dataset.score = fromUnits(total);
      row.cells[0].textContent = shown;
      row.cells[1].textContent = nameOf(teamId); // textContent: team names are typed by people too
      row.cells[2].textContent = fromUnits(total);
      teamRows.appendChild(row);
    });
  }

  function toUnits(text) {
    const [, sign, whole, fraction = ''] = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text) || [null, '', '0'];
    const units = BigInt(whole) * SCALE + BigInt(fraction.padEnd(4, '0').slice(0, 4));
    return sign ? -units : units;
  }

  function fromUnits(units) {
    const sign = units < 0n ? '-' : '';
    const size = units < 0n ? -units : units;
    const fraction = (size % SCALE).toString().padStart(4, '0').replace(/0+$/, '');
    return sign + (size / SCALE) + (fraction ? '.' + fraction : '');
  }

  connect();
})();
