import { ReactElement, ReactNode, useLayoutEffect, useRef } from 'react';

function ListboxName({ label, children }: { label: string; children: ReactNode }) {
  const wrapper = useRef<HTMLDivElement>(null);
  // Every render: rc-select swaps its listbox element (empty ↔ options) without telling us.
  useLayoutEffect(() => {
    wrapper.current?.querySelectorAll('[role="listbox"]').forEach((listbox) => {
      listbox.setAttribute('aria-label', label);
    });
  });
  return (
    <div ref={wrapper} style={{ display: 'contents' }}>
      {children}
    </div>
  );
}

/**
 * A Select's `popupRender` that names its listbox after the field. rc-select gives the listbox
 * no name and links it from the combobox only while open, so a list still fading out after a
 * choice is a nameless listbox to assistive technology (and to axe's aria-input-field-name).
 */
export function namedListbox(label: string): (menu: ReactElement) => ReactElement {
  return function NamedListbox(menu) {
    return <ListboxName label={label}>{menu}</ListboxName>;
  };
}
