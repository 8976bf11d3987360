import { lazy, Match, Show, Suspense, Switch } from "solid-js";
import { Shell } from "./components/Shell.tsx";
import { UpdatePrompt } from "./components/UpdatePrompt.tsx";
import { currentPath, navigate } from "./lib/router.ts";
import { session } from "./lib/session.ts";
import "./lib/workspace.ts";
import { AuthScreen } from "./routes/Auth.tsx";
import { OrdersScreen } from "./routes/Orders.tsx";

// Sign-in and orders load with the app; everything else is fetched when first opened (and precached).
const SettingsScreen = lazy(() => import("./routes/Settings.tsx"));
const MetricsScreen = lazy(() => import("./routes/Metrics.tsx"));
const ScanScreen = lazy(() => import("./routes/Scan.tsx"));

const AUTH_PATHS = ["/signin", "/signup", "/join"];

export function App() {
  const signedIn = () => session() !== null;
  return (
    <>
      <Switch>
        <Match when={!signedIn()}>
          <Show when={AUTH_PATHS.includes(currentPath())} fallback={<Redirect to="/signin" />}>
            <AuthScreen />
          </Show>
        </Match>
        <Match when={AUTH_PATHS.includes(currentPath())}>
          <Redirect to="/" />
        </Match>
        <Match when={currentPath() === "/scan"}>
          <Suspense fallback={<Loading />}>
            <ScanScreen />
          </Suspense>
        </Match>
        <Match when={true}>
          <Shell>
            <Suspense fallback={<Loading />}>
              <Switch fallback={<OrdersScreen />}>
                <Match when={currentPath().startsWith("/settings")}>
                  <SettingsScreen />
                </Match>
                <Match when={currentPath() === "/metrics"}>
                  <MetricsScreen />
                </Match>
              </Switch>
            </Suspense>
          </Shell>
        </Match>
      </Switch>
      <UpdatePrompt />
    </>
  );
}

function Redirect(props: { to: string }) {
  queueMicrotask(() => navigate(props.to, true));
  return null;
}

function Loading() {
  return (
    <p class="loading" role="status">
      Loading…
    </p>
  );
}
