// @microsoft/omnichannel-chat-sdk: the SDK whose API lcw-sdk follows.
// Ready = bundle evaluated and `new OmnichannelChatSDK(config)` returned.
// (`initialize()` needs Dynamics 365 servers; it is not called, so this is a
// lower bound of what the real SDK costs before it can start a chat.)
import { OmnichannelChatSDK } from '@microsoft/omnichannel-chat-sdk';
import { config, ready } from './common.mjs';

window.__peer = new OmnichannelChatSDK(config);
ready();
