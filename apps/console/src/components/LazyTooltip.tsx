import { Tooltip } from 'antd';
import { ReactNode, useState } from 'react';

/**
 * A tooltip that becomes antd's Tooltip on first hover or focus, its text built only then: a
 * table of 100 units with five rates each would otherwise mount 500 Tooltips (trigger, portal,
 * observers) and format 500 texts before its first paint (bench/README.md "console").
 */
export function LazyTooltip({ title, children }: { title: () => ReactNode; children: ReactNode }) {
  const [active, setActive] = useState(false);
  if (active)
    return (
      <Tooltip title={title()} defaultOpen>
        {children}
      </Tooltip>
    );
  return (
    <span onMouseEnter={() => setActive(true)} onFocus={() => setActive(true)}>
      {children}
    </span>
  );
}
