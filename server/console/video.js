// Agent console: video calls (docs/PROTOCOL.md, "Video calls"). A
// video-capable agent invites the visitor of an accepted conversation
// ("Video", also the answer to a visitor's request); once the visitor's call
// socket joins (state `active`) this tab takes the camera and microphone,
// makes the WebRTC offer and relays signalling as `rtc` frames; media is
// peer to peer. The tab that sent the invitation runs the call (remembered
// in sessionStorage, so a reload of that tab keeps it); other tabs only show
// its state. A media connection that fails (the network changed under
// either side) is restarted: a new offer with fresh ICE credentials, which
// the visitor's SDK answers as the first (at once on `failed`, after 3 s of
// `disconnected`). Shares `state`, `$`, `el`, `status`, `mine`, `render` and
// `logout` with console.js. For tests: `window.__video` (`pc`, `state`).
'use strict';

const video = {
  agent: false, widgets: {}, calls: new Map(), // conversationId -> last VideoCall seen
  pc: null, state: null, callId: null, convId: null, local: null, remote: null, queued: [],
  restartTimer: null, restarts: 0,
};
const RESTART_AFTER_DISCONNECTED_MS = 3000;
window.__video = video;
const OWNER_KEY = 'lcw_video_conversation'; // the conversation whose call this tab runs

async function loadVideo() {
  try {
    const r = await agentFetch('/v1/agent/video');
    if (r.status === 401) { logout(); return; }
    if (!r.ok) return;
    const body = await r.json();
    video.agent = !!body.videoAgent; video.widgets = body.widgets || {};
    render();
  } catch (e) { status('video settings: server unreachable'); }
}

function sendFrame(frame) {
  if (state.ws && state.ws.readyState === 1) state.ws.send(JSON.stringify(frame));
}
function sendRtc(payload) {
  sendFrame({ type: 'rtc', conversationId: video.convId, callId: video.callId, payload });
}
function live(call) { return call && call.state !== 'ended' ? call : null; }

function onVideoFrame(f) {
  if (f.type === 'rtc') { onRtc(f); return; }
  const call = f.call;
  video.calls.set(f.conversationId, call);
  const c = state.convs.get(f.conversationId);
  if (c && f.conversationId !== state.selected && call.state !== 'ended') c.unread = true;
  const owned = sessionStorage.getItem(OWNER_KEY) === f.conversationId;
  if (call.id === video.callId || owned) video.state = call.state;
  if (call.state === 'active' && owned && !video.pc) startCall(f.conversationId, call);
  if (call.state === 'ended') {
    if (call.id === video.callId) stopCall();
    if (owned) sessionStorage.removeItem(OWNER_KEY);
  }
  render();
}

async function onRtc(f) {
  const pc = video.pc;
  if (!pc || f.callId !== video.callId) return; // another tab's call, or over
  const p = f.payload || {};
  try {
    if (p.type === 'answer' || p.type === 'offer') {
      await pc.setRemoteDescription({ type: p.type, sdp: p.sdp });
      for (const cand of video.queued.splice(0)) await pc.addIceCandidate(cand);
      if (p.type === 'offer') { // the visitor renegotiates (e.g. turns the camera on)
        await pc.setLocalDescription(await pc.createAnswer());
        sendRtc({ type: 'answer', sdp: pc.localDescription.sdp });
      }
    } else if (p.type === 'candidate' && p.candidate) {
      // (A candidate of the offer an ICE restart replaced is refused: nothing to tell.)
      if (pc.remoteDescription) await pc.addIceCandidate(p.candidate).catch(() => {}); else video.queued.push(p.candidate);
    }
  } catch (e) { status('video: ' + e.message); }
}

function mediaElement(id, muted) {
  const v = el('video');
  v.id = id; v.autoplay = true; v.playsInline = true;
  v.setAttribute('autoplay', ''); v.setAttribute('playsinline', '');
  if (muted) { v.muted = true; v.setAttribute('muted', ''); }
  $('video-stage').appendChild(v);
  return v;
}

async function startCall(convId, call) {
  const c = state.convs.get(convId);
  const settings = (c && video.widgets[c.info.widgetId]) || {};
  const pc = new RTCPeerConnection({ iceServers: settings.iceServers || [] });
  Object.assign(video, { pc, callId: call.id, convId, state: call.state, queued: [], remote: new MediaStream() });
  const remote = mediaElement('remote-video', false);
  remote.srcObject = video.remote;
  pc.onicecandidate = (e) => { if (e.candidate) sendRtc({ type: 'candidate', candidate: e.candidate.toJSON() }); };
  pc.ontrack = (e) => { video.remote.addTrack(e.track); remote.play().catch(() => {}); };
  pc.onconnectionstatechange = () => {
    if (video.pc !== pc) return;
    clearTimeout(video.restartTimer);
    if (pc.connectionState === 'failed') restartIce(pc);
    else if (pc.connectionState === 'disconnected') video.restartTimer = setTimeout(() => { if (pc.connectionState === 'disconnected') restartIce(pc); }, RESTART_AFTER_DISCONNECTED_MS);
    renderPane();
  };
  let stream = null;
  try { stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true }); }
  catch (e) { status('camera or microphone unavailable (' + e.name + '): the visitor will not see you'); }
  if (video.pc !== pc) { if (stream) stream.getTracks().forEach((t) => t.stop()); return; } // ended meanwhile
  // The ICE servers as of now: a TURN relay's pair is short-lived, and the
  // settings may have been loaded hours ago.
  await loadVideo();
  const fresh = c && video.widgets[c.info.widgetId];
  if (video.pc !== pc) { if (stream) stream.getTracks().forEach((t) => t.stop()); return; }
  if (fresh) { try { pc.setConfiguration({ iceServers: fresh.iceServers || [] }); } catch (e) { status('video: ' + e.message); } }
  video.local = stream;
  if (stream) {
    for (const t of stream.getTracks()) pc.addTrack(t, stream); // sendrecv: also receives the visitor's
    mediaElement('local-video', true).srcObject = stream;
  }
  // Receive the visitor's camera and microphone even when sending nothing of a kind.
  const kinds = new Set(pc.getTransceivers().map((t) => t.receiver.track.kind));
  for (const kind of ['audio', 'video']) if (!kinds.has(kind)) pc.addTransceiver(kind, { direction: 'recvonly' });
  try {
    await pc.setLocalDescription(await pc.createOffer());
    sendRtc({ type: 'offer', sdp: pc.localDescription.sdp });
  } catch (e) { status('video: ' + e.message); }
  renderPane();
}

/** A new offer with fresh ICE credentials (an ICE restart), when no other offer is under way. */
async function restartIce(pc) {
  if (video.pc !== pc || pc.signalingState !== 'stable') return;
  video.restarts++;
  try {
    await pc.setLocalDescription(await pc.createOffer({ iceRestart: true }));
    if (video.pc === pc) sendRtc({ type: 'offer', sdp: pc.localDescription.sdp });
  } catch (e) { status('video: ' + e.message); }
}

function stopCall() {
  const pc = video.pc;
  clearTimeout(video.restartTimer);
  if (pc) { pc.onicecandidate = null; pc.ontrack = null; pc.onconnectionstatechange = null; pc.close(); }
  for (const s of [video.local, video.remote]) if (s) s.getTracks().forEach((t) => t.stop());
  for (const id of ['remote-video', 'local-video']) { const v = $(id); if (v) { v.srcObject = null; v.remove(); } }
  Object.assign(video, { pc: null, local: null, remote: null, callId: null, convId: null, queued: [], restartTimer: null });
}

function invite() {
  if (!state.selected) return;
  sessionStorage.setItem(OWNER_KEY, state.selected);
  sendFrame({ type: 'video', conversationId: state.selected, action: 'invite' });
}

function endCall() {
  const call = live(video.calls.get(state.selected));
  if (call) sendFrame({ type: 'video', conversationId: state.selected, action: 'end', callId: call.id });
}

// A word for the conversation list.
function videoBadge(c) {
  const call = live(video.calls.get(c.info.id));
  return call ? ' · video ' + call.state : '';
}

const REASONS = { declined: 'declined by the visitor', visitor: 'ended by the visitor', agent: 'ended', closed: 'conversation ended', disconnected: 'connection lost' };

function renderVideo(c) {
  const call = video.calls.get(c.info.id);
  const runs = call && call.id === video.callId && video.pc;
  const widget = video.widgets[c.info.widgetId];
  const canInvite = video.agent && widget && widget.enabled && mine(c) && c.info.state === 'active';
  let notice = '';
  if (call && call.state === 'requested') notice = 'Visitor asks for a video call';
  else if (call && call.state === 'invited') notice = 'Video call: waiting for the visitor to join…';
  else if (call && call.state === 'active') notice = runs ? 'Video call: ' + video.pc.connectionState : 'Video call in progress in another window';
  else if (call && call.state === 'ended') notice = 'Video call ' + (REASONS[call.reason] || 'ended');
  $('video-notice').textContent = notice;
  $('video-start').hidden = !(canInvite && (!live(call) || call.state === 'requested'));
  $('video-end').hidden = !(mine(c) && live(call));
  $('video-end').textContent = !live(call) ? 'End call' : call.state === 'requested' ? 'Not now' : call.state === 'invited' ? 'Cancel invitation' : 'End call';
  $('video-bar').hidden = !notice && $('video-start').hidden;
  $('video-stage').hidden = !(runs && c.info.id === video.convId);
}

document.addEventListener('DOMContentLoaded', () => {
  $('video-start').addEventListener('click', invite);
  $('video-end').addEventListener('click', endCall);
});
