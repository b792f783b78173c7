// Chart.js with only the parts the console draws registered (bars, and lines over a linear x axis
// for the mirror's lag), so the bundler leaves the other controllers, scales and plugins out. Charts
// import this module dynamically: the page and its tables show before Chart.js has loaded.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
);

export { Chart };
