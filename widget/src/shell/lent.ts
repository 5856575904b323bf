// The functions the core lends the panel chunk, so the two bundles a first answer needs carry
// one copy of each: the panel's build (widget/build.mjs `lentModules`) reads each module listed
// here as these values, in this order, from the page's shared hand-over object at the key of the
// lent code (`__LIB__`, a hash of this file and what it bundles: a page with chats of two servers
// keeps each one's own, and a panel fetched after a deploy runs on the page's cached core unless
// the lent code changed). A name the panel imports that is not here fails its build. They hold
// no state (a login's expiry goes with each chat's WidgetConfig), so any chat may lend them to
// every panel of the same lent code.

import { postJson, streamChat } from "../api";
import { DEFAULT_LIMITS, webUrl } from "../config";
import { el, guard, on, report } from "../dom";
import { closeIcon, expandIcon, sendIcon, stopIcon } from "../icons";
import { bare, encodeJson, own, ownString, parseJson } from "../json";
import { contents, hasExtra } from "../parts";
import { read } from "../saved";

export const lent = {
  api: [postJson, streamChat],
  config: [DEFAULT_LIMITS, webUrl],
  dom: [el, guard, on, report],
  icons: [closeIcon, expandIcon, sendIcon, stopIcon],
  json: [bare, encodeJson, own, ownString, parseJson],
  parts: [contents, hasExtra],
  saved: [read],
};
