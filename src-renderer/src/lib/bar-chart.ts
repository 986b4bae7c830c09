import { BarController, BarElement } from 'chart.js';
import { Chart } from './chart.ts';

// Bar charts (length histograms, per-finding and per-filter counts) need the bar pieces beside the line ones
// that lib/chart.ts registers; registered here so a view without bar charts does not pull them in.
Chart.register(BarController, BarElement);

export { Chart };
