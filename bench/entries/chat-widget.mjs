// @microsoft/omnichannel-chat-widget (React UI on top of the chat SDK).
// Ready = the widget's chat launcher button (#oc-lcw-chat-button) is
// in the DOM. The real OmnichannelChatSDK is constructed (not initialized:
// that needs Dynamics 365 servers) and the widget runs in its own built-in
// `mock` mode, which its package ships for demos, so no backend is awaited.
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import { LiveChatWidget } from '@microsoft/omnichannel-chat-widget';
import { OmnichannelChatSDK } from '@microsoft/omnichannel-chat-sdk';
import { config, ready, whenPresent } from './common.mjs';

const chatSDK = new OmnichannelChatSDK(config);
window.__peer = chatSDK;
whenPresent('#oc-lcw-chat-button').then(ready);
createRoot(document.getElementById('root')).render(
  React.createElement(LiveChatWidget, {
    chatSDK,
    // The live chat config the widget's own MockChatSDK returns.
    chatConfig: {
      LiveWSAndLiveChatEngJoin: {
        msdyn_postconversationsurveyenable: 'true',
        msdyn_conversationmode: '192350000',
      },
    },
    mock: { type: 'mock' },
  }),
);
