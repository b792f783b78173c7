// What other packages may use of the risk service: the rules file's reader and its error, the pure
// engine (decide, the backtest), and the hold port, for tests and tools.
export {
  ACTIONS,
  loadRuleSet,
  parseRuleSet,
  reasonCodeOf,
  RISK_RULES_INVALID,
  RulesFileError,
  SEVERITIES,
  type Action,
  type Rule,
  type RuleSet,
  type Severity,
} from './rules/ruleSet';
export { METRIC_NAMES, type MetricName } from './rules/metrics';
export { decide, type Decision, type Outcome } from './engine/decide';
export type { RiskEvent } from './engine/riskEvent';
export { backtest, reportLines, type BacktestReport } from './backtest/backtest';
export type { HoldLedger, HoldRequest, HoldResult } from './holds/holdLedger';
