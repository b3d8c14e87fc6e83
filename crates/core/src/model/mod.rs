//! Domain vocabulary shared by every stage of the data flow: events in the log, health states,
//! the Green / Yellow / Red / Unknown status scale.

mod action_text;
pub mod event;
pub mod health;
pub mod readiness;
pub mod status;
pub mod summary;

pub use event::{
    AlarmInfo, AlarmKind, AlarmSnapshot, EmbeddedFile, Event, EventBody, FORMAT_NAME,
    FORMAT_VERSION, GaEndpoint, GaEndpointGroup, GaSnapshot, Header, IncidentFields, LogBatch,
    LogCount, LogLine, MetricBatch, OperatorAction, OperatorEvent, Point, RoomChange,
    RoomChangeKind, SeriesData, Source, SourceStatus, TargetHealthSnapshot, TargetInfo, WafRequest,
    WafSampleBatch,
};
pub use health::{AlarmState, GaHealth, IncidentState, Severity, SourceState, TargetState};
pub use status::Status;
pub use summary::{
    ActionLine, AvailabilityLine, CriterionLine, DeliveryState, IncidentLine, KeyMetric, Recap,
    RecapIncident, RtnLine, StepLine, Summary, SummaryDelivery, SummaryKind, SummaryRecord, Trend,
    Window,
};
