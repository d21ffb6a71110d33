declare module 'chartjs-chart-financial/dist/chartjs-chart-financial.esm.js';
