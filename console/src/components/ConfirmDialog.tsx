// A confirmation asked in a modal alert dialog (Zag's dialog machine through its Preact adapter):
// focus moves into it and stays there, the page behind is hidden from assistive technology, Escape
// or Cancel closes it, and focus returns to what opened it. Rendered in place, not in a portal, so it
// stays inside the region (an escrow's article) it is about.
import * as dialog from '@zag-js/dialog';
import { normalizeProps, useMachine } from '@zag-js/preact';
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

export interface ConfirmDialogProps {
  readonly open: boolean;
  readonly title: string;
  /** The confirming button's text. */
  readonly confirm: string;
  readonly onConfirm: () => void;
  /** Called when the user cancels (Cancel, Escape or a click outside). */
  readonly onCancel: () => void;
  /** What confirming does, said in full. */
  readonly children: ComponentChildren;
}

export function ConfirmDialog({ open, title, confirm, onConfirm, onCancel, children }: ConfirmDialogProps) {
  const service = useMachine(dialog.machine, {
    id: useId(),
    role: 'alertdialog',
    open,
    onOpenChange: (details) => {
      if (!details.open) onCancel();
    },
  });
  const api = dialog.connect(service, normalizeProps);
  if (!api.open) return null;
  return (
    <>
      <div {...api.getBackdropProps()} class="backdrop" />
      <div {...api.getPositionerProps()} class="positioner">
        <div {...api.getContentProps()} class="confirm">
          <h4 {...api.getTitleProps()}>{title}</h4>
          <p {...api.getDescriptionProps()}>{children}</p>
          <button type="button" onClick={onConfirm}>
            {confirm}
          </button>
          <button type="button" {...api.getCloseTriggerProps()}>
            Cancel
          </button>
        </div>
      </div>
    </>
  );
}
