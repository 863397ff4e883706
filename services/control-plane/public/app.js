import { api, token, h } from './api.js';
import { pages } from './pages.js';

const main = document.getElementById('main');
const flash = document.getElementById('flash');

async function signIn(value) {
  token.set(value);
  const me = await api('GET', '/api/me');
  document.getElementById('who').textContent = `${me.name} (${me.role})`;
  document.getElementById('nav').hidden = false;
  document.getElementById('logout').hidden = false;
  return me;
}

async function route() {
  const name = (location.hash || '#stores').slice(1).split('?')[0];
  const page = pages[name] || pages.stores;
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.getAttribute('href') === `#${name}`);
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    main.replaceChildren(await page());
  } catch (err) {
    if (err.status === 401) {
      token.clear();
      location.reload();
      return;
    }
    main.replaceChildren(h('p', { class: 'error' }, err.message));
  }
}

function showOAuthOutcome() {
  const q = new URLSearchParams(location.search);
  if (q.get('oauth')) {
    flash.textContent = q.get('message') || q.get('oauth');
    history.replaceState(null, '', `/console/${location.hash}`);
  }
}

document.getElementById('logout').addEventListener('click', () => {
  token.clear();
  location.reload();
});

document.getElementById('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    await signIn(document.getElementById('login-token').value.trim());
    window.addEventListener('hashchange', route);
    await route();
  } catch (err) {
    token.clear();
    document.getElementById('login-error').textContent = err.message;
  }
});

showOAuthOutcome();
if (token.get()) {
  signIn(token.get())
    .then(() => {
      window.addEventListener('hashchange', route);
      return route();
    })
    .catch(() => token.clear());
}
