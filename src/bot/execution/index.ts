export { createExecutionFeature, installExecutionFeature, type ExecutionFeature, type ExecutionFeatureOptions } from './feature.ts';
export { notifyExecutorEvents, executorEventText, resolvedApprovalsText, type TextNotifier } from './notify.ts';
export {
  scheduleReports, reportCronExpressions, telegramReportSender, DEFAULT_REPORT_TIMES, type ReportTimes, type ReportSchedule, type PeriodicReport,
} from './schedule.ts';
export { reconciliationText, sendReconciliationReport } from './reconcile-report.ts';
