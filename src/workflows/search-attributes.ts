/** Typed search attributes set as a release moves; people filter releases by them in the UI and `mlgate releases`. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ModelKey = defineSearchAttributeKey('mlgateModel', SearchAttributeType.KEYWORD);
export const StageKey = defineSearchAttributeKey('mlgateStage', SearchAttributeType.KEYWORD);
export const RiskClassKey = defineSearchAttributeKey('mlgateRiskClass', SearchAttributeType.KEYWORD);
export const OutcomeKey = defineSearchAttributeKey('mlgateOutcome', SearchAttributeType.KEYWORD);
export const ReasonKey = defineSearchAttributeKey('mlgateReason', SearchAttributeType.KEYWORD);

/** Registered by the embedded dev server at start-up, and by `prepareTemporal` (src/temporal) on a cluster. */
export const SEARCH_ATTRIBUTES = [ModelKey, StageKey, RiskClassKey, OutcomeKey, ReasonKey] as const;
