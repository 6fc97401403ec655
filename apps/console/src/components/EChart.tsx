import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the first page draws: bar charts with axes, tooltips, titles and the aria description
// (views drawn later register more, e.g. pages/dashboard/line-charts.ts).
echarts.use([BarChart, GridComponent, TooltipComponent, TitleComponent, AriaComponent, CanvasRenderer]);

export type EChartOption = echarts.ComposeOption<
  | import('echarts/charts').BarSeriesOption
  | import('echarts/charts').LineSeriesOption
  | import('echarts/components').LegendComponentOption
  | import('echarts/components').GridComponentOption
  | import('echarts/components').TooltipComponentOption
  | import('echarts/components').TitleComponentOption
  | import('echarts/components').AriaComponentOption
>;

/**
 * One ECharts instance per mounted chart: resized with its container (a chart first drawn in a
 * hidden tab would stay 100 px wide otherwise), disposed on unmount.
 */
export function EChart({
  option,
  height = 280,
  testId,
}: {
  option: EChartOption;
  height?: number;
  testId?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const element = container.current!;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    // The observer also reports the size the chart was drawn at, once, right after init: a
    // resize then would lay out and draw every chart a second time before the first paint.
    const observer = new ResizeObserver(() => {
      if (element.clientWidth !== instance.getWidth() || element.clientHeight !== instance.getHeight())
        instance.resize();
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, animation: false, ...option }, true);
  }, [option]);

  return <div ref={container} style={{ width: '100%', height }} data-testid={testId} />;
}
