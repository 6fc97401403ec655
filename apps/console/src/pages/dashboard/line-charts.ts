import { LineChart } from 'echarts/charts';
import { LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';

// Lines and legends, for the views below the rate charts (their chunk, not the first page's).
echarts.use([LineChart, LegendComponent]);
