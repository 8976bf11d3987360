// @consign/labels deep-imports pako's deflate internals and types them in its own pako.d.ts; the app's type
// check reaches them through the labels worker, so it reads the same declarations.
/// <reference path="../../../packages/labels/src/pdf/pako.d.ts" />
