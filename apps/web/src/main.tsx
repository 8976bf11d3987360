performance.mark("T:main");
import { render } from "solid-js/web";
import { App } from "./App.tsx";
import "./styles/base.css";

render(() => <App />, document.getElementById("app")!);
new MutationObserver((_, mo) => { if (document.querySelector("[data-testid=order-row]")) { performance.mark("T:row"); mo.disconnect(); } }).observe(document.body, { childList: true, subtree: true });
