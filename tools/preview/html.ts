/** The two HTML documents of the preview: the shell (user switcher + phone) and the phone itself. */
import type { PreviewUser } from './users';

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** JSON safe inside a <script> element. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c');
}

export interface AppPageConfig {
  user: PreviewUser;
  path: string;
  query: string;
  via: 'navigate' | 'relaunch';
  gateway: string;
}

const STATUS_ICONS = `<span class="icons">
<svg width="17" height="11" viewBox="0 0 17 11" fill="currentColor"><rect x="0" y="7" width="3" height="4" rx="1"/><rect x="4.5" y="5" width="3" height="6" rx="1"/><rect x="9" y="2.5" width="3" height="8.5" rx="1"/><rect x="13.5" y="0" width="3" height="11" rx="1"/></svg>
<svg width="15" height="11" viewBox="0 0 15 11" fill="currentColor"><path d="M7.5 2.2c2.1 0 4 .8 5.5 2.1l1.1-1.1A9.3 9.3 0 0 0 7.5.6 9.3 9.3 0 0 0 .9 3.2L2 4.3a7.8 7.8 0 0 1 5.5-2.1zm0 3.2c1.2 0 2.3.4 3.2 1.2l1.1-1.1a6.3 6.3 0 0 0-8.6 0l1.1 1.1c.9-.8 2-1.2 3.2-1.2zm0 3.1c-.5 0-1 .2-1.3.5l1.3 1.4 1.3-1.4c-.3-.3-.8-.5-1.3-.5z"/></svg>
<svg width="25" height="12" viewBox="0 0 25 12" fill="none"><rect x="0.5" y="0.5" width="21" height="11" rx="3" stroke="currentColor" opacity=".4"/><rect x="2" y="2" width="18" height="8" rx="2" fill="currentColor"/><path d="M23 4v4c.8-.3 1.3-1.1 1.3-2S23.8 4.3 23 4z" fill="currentColor" opacity=".4"/></svg>
</span>`;

const BACK_ICON = `<svg width="12" height="20" viewBox="0 0 12 20"><path d="M10 2 2 10l8 8" stroke="currentColor" stroke-width="2.2" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
const HOME_ICON = `<svg width="20" height="20" viewBox="0 0 20 20"><path d="M3 9.5 10 3l7 6.5V17a1 1 0 0 1-1 1h-4v-5H8v5H4a1 1 0 0 1-1-1z" stroke="currentColor" stroke-width="1.8" fill="none" stroke-linejoin="round"/></svg>`;
const CAPSULE = `<div class="wx-capsule" aria-hidden="true"><span><svg width="20" height="6" viewBox="0 0 20 6" fill="currentColor"><circle cx="3" cy="3" r="2.2"/><circle cx="10" cy="3" r="3"/><circle cx="17" cy="3" r="2.2"/></svg></span><i></i><span><svg width="18" height="18" viewBox="0 0 18 18" fill="none" stroke="currentColor"><circle cx="9" cy="9" r="7.5" stroke-width="1.6"/><circle cx="9" cy="9" r="3" stroke-width="1.6"/></svg></span></div>`;

export function appHtml(cfg: AppPageConfig): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no, viewport-fit=cover">
<title>物业缴费 · ${escapeHtml(cfg.user.name)}</title>
<link rel="stylesheet" href="/__preview__/runtime.css">
</head>
<body>
<div id="wx-status"><span class="time">9:41</span>${STATUS_ICONS}</div>
<div id="wx-nav">
  <div id="wx-nav-back" class="wx-nav-btn" role="button" aria-label="返回" hidden>${BACK_ICON}</div>
  <div id="wx-nav-home" class="wx-nav-btn" role="button" aria-label="首页" hidden>${HOME_ICON}</div>
  <div id="wx-nav-title"></div>
  ${CAPSULE}
</div>
<div id="wx-pages"></div>
<div id="wx-overlay"></div>
<script>window.__PREVIEW__ = ${scriptJson(cfg)};</script>
<script src="/__preview__/simulate.js"></script>
<script src="/__preview__/bundle.js"></script>
<script src="/__preview__/runtime.js"></script>
</body>
</html>`;
}

export function shellHtml(
  users: readonly PreviewUser[],
  current: PreviewUser,
  startPath: string,
): string {
  const item = (u: PreviewUser) => `
      <a class="user${u.openid === current.openid ? ' on' : ''}" href="?user=${encodeURIComponent(u.openid)}" data-openid="${escapeHtml(u.openid)}">
        <span class="avatar ${u.kind}">${escapeHtml(u.name.slice(0, 1))}</span>
        <span class="who"><b>${escapeHtml(u.name)}</b><small>${escapeHtml(u.description)}</small></span>
      </a>`;
  const owners = users
    .filter((u) => u.kind === 'owner')
    .map(item)
    .join('');
  const staff = users
    .filter((u) => u.kind === 'staff')
    .map(item)
    .join('');
  const src = `/__preview__/app?user=${encodeURIComponent(current.openid)}&path=${encodeURIComponent(startPath)}`;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>物业缴费 · 本地预览</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; min-height: 100vh; display: flex; gap: 40px; justify-content: center; align-items: flex-start;
    padding: 32px 24px; background: #e9efed; color: #1f2d2b;
    font-family: -apple-system, BlinkMacSystemFont, 'PingFang SC', 'Noto Sans CJK SC', sans-serif; }
  aside { width: 260px; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  .sub { margin: 0 0 24px; color: #566663; font-size: 13px; line-height: 1.6; }
  h2 { font-size: 12px; letter-spacing: .08em; color: #8d9b98; margin: 20px 0 8px; font-weight: 600; }
  .user { display: flex; align-items: center; gap: 12px; padding: 10px 12px; margin-bottom: 6px; border-radius: 12px;
    text-decoration: none; color: inherit; background: rgba(255,255,255,.55); border: 1px solid transparent; }
  .user:hover { background: #fff; }
  .user.on { background: #fff; border-color: #0e8f7e; box-shadow: 0 2px 10px rgba(14,143,126,.12); }
  .avatar { width: 36px; height: 36px; border-radius: 50%; display: flex; align-items: center; justify-content: center;
    color: #fff; font-weight: 600; background: #0e8f7e; flex: none; }
  .avatar.staff { background: #3b6fb6; }
  .who { display: flex; flex-direction: column; }
  .who small { color: #8d9b98; font-size: 12px; margin-top: 2px; }
  .phone { width: 399px; padding: 12px; border-radius: 44px; background: #1d2422; box-shadow: 0 24px 60px rgba(0,0,0,.25); }
  .screen { width: 375px; height: 667px; border-radius: 32px; overflow: hidden; background: #fff; }
  iframe { display: block; width: 375px; height: 667px; border: 0; }
  .bar { margin-top: 14px; display: flex; gap: 8px; align-items: center; font-size: 12px; color: #566663; }
  .bar code { flex: 1; background: rgba(255,255,255,.6); padding: 6px 10px; border-radius: 8px; overflow: hidden;
    text-overflow: ellipsis; white-space: nowrap; }
  button { font: inherit; font-size: 12px; border: 0; border-radius: 8px; padding: 6px 10px; background: #fff; cursor: pointer; color: #1f2d2b; }
  button:hover { background: #0e8f7e; color: #fff; }
  .tips { margin-top: 24px; font-size: 12px; color: #8d9b98; line-height: 1.7; }
  .codes { display: flex; flex-wrap: wrap; gap: 6px; }
  .codes img { width: 72px; height: 72px; background: #fff; border-radius: 6px; cursor: pointer; }
</style>
</head>
<body>
  <aside>
    <h1>物业缴费 · 本地预览</h1>
    <p class="sub">真实页面（WXML、TypeScript、WXSS）在浏览器中运行，云函数调用发往本地云。</p>
    <h2>业主</h2>${owners}
    <h2>工作人员</h2>${staff}
    <p class="tips">切换用户会以该用户的 openid 调用云函数；每位用户的本地存储（如长辈模式）互不影响。</p>
    <h2>扫码（入户通知单上的小程序码）</h2>
    <div id="codes" class="codes"><button id="load-codes" type="button">列出已生成的小程序码</button></div>
    <p class="tips">点一个码：本地云像手机摄像头一样识别图片，以当前用户打开码中的页面。</p>
  </aside>
  <main>
    <div class="phone"><div class="screen"><iframe id="phone" title="mini-program" src="${escapeHtml(src)}"></iframe></div></div>
    <div class="bar"><code id="route">${escapeHtml(startPath)}</code>
      <button id="reload" type="button">重新加载</button>
      <button id="reset" type="button">清除本地存储</button></div>
  </main>
<script>
  const current = ${scriptJson(current.openid)};
  const frame = document.getElementById('phone');
  window.addEventListener('message', (e) => {
    if (e.data && e.data.type === 'mp-route') {
      document.getElementById('route').textContent = e.data.stack.join(' › ') + (Object.keys(e.data.query || {}).length ? '?' + new URLSearchParams(e.data.query) : '');
    }
  });
  document.getElementById('reload').onclick = () => frame.contentWindow.location.reload();
  // The dev scan: the local cloud reads the code's PNG and answers the page it opens.
  document.getElementById('load-codes').onclick = async () => {
    const box = document.getElementById('codes');
    const codes = await (await fetch('/dev/wxacodes')).json();
    box.textContent = codes.length ? '' : '还没有生成小程序码（在 管理 › 通知触达 打印入户通知单）';
    for (const c of codes.slice(-12).reverse()) {
      const img = document.createElement('img');
      img.src = '/dev/wxacodes/' + c.id + '.png';
      img.alt = img.title = c.scene;
      img.className = 'scan-code';
      img.onclick = async () => {
        const r = await fetch('/dev/scan', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: c.id }) });
        if (!r.ok) return alert(await r.text());
        const to = await r.json();
        frame.src = '/__preview__/app?user=' + encodeURIComponent(current) + '&path=' + encodeURIComponent(to.page) + '&query=' + encodeURIComponent(to.query) + '&via=relaunch';
      };
      box.appendChild(img);
    }
  };
  document.getElementById('reset').onclick = () => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('mp:' + current + ':') || k === 'mpsys:' + current) localStorage.removeItem(k);
    frame.contentWindow.location.reload();
  };
</script>
</body>
</html>`;
}
