import { Show } from "solid-js";

/** Appears when orders are selected: the batch actions. */
export function BottomBar(props: {
  selected: number;
  matching: number;
  readOnly: boolean;
  onSelectAll: () => void;
  onClear: () => void;
  onBuy: () => void;
  onHold: () => void;
  onSlips: () => void;
  onPick: () => void;
  onDispatch: () => void;
}) {
  return (
    <div class="bottom-bar" role="toolbar" aria-label="Selected orders" data-testid="bottom-bar">
      <span class="selected-count" data-testid="selected-count">
        {props.selected} selected
      </span>
      <Show when={props.selected < props.matching}>
        <button
          type="button"
          class="link"
          data-testid="select-all-matching"
          onClick={() => props.onSelectAll()}
        >
          Select all {props.matching} matching
        </button>
      </Show>
      <button type="button" class="link" onClick={() => props.onClear()}>
        Clear
      </button>
      <span class="spacer" />
      <Show when={!props.readOnly}>
        <button type="button" class="primary" onClick={() => props.onBuy()}>
          Buy &amp; print
        </button>
        <button type="button" onClick={() => props.onHold()}>
          Hold
        </button>
        <button type="button" onClick={() => props.onPick()}>
          Pick list
        </button>
        <button type="button" onClick={() => props.onSlips()}>
          Packing slips
        </button>
        <button type="button" onClick={() => props.onDispatch()}>
          Confirm dispatch
        </button>
      </Show>
    </div>
  );
}
