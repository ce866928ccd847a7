// botframework-webchat (the full bundle, as a site would use it).
// Ready = renderWebChat() has rendered the transcript and the send box
// (`.webchat__send-box` in the DOM), connected to an in-page DirectLine
// stand-in that reports "online" and makes no network call.
import { renderWebChat, createStore } from 'botframework-webchat';
import { ready, whenPresent } from './common.mjs';

function observable(subscribeFn) {
  return {
    subscribe(observerOrNext) {
      const o = typeof observerOrNext === 'function' ? { next: observerOrNext } : observerOrNext;
      const stop = subscribeFn(o) || (() => {});
      return { unsubscribe: stop, closed: false };
    },
  };
}

const directLine = {
  activity$: observable(() => {}),
  connectionStatus$: observable((o) => {
    o.next(0); // Uninitialized
    o.next(1); // Connecting
    o.next(2); // Online
  }),
  postActivity: () => observable((o) => { o.next('local-id'); o.complete && o.complete(); }),
  end() {},
};

whenPresent('.webchat__send-box').then(ready);
window.__peer = renderWebChat({ directLine, store: createStore() }, document.getElementById('root'));
