import { render } from "solid-js/web";
import { App } from "./App.tsx";
import "./styles/base.css";

render(() => <App />, document.getElementById("app")!);
