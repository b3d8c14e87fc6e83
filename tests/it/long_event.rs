//! The generated 14-day, 5-minute-period recording of the ticketing layout
//! (`warroom_core::testing::fortnight`): report, summaries and the replay dashboard.

use warroom_core::report;
use warroom_core::testing::fortnight;

#[test]
fn scratch_report() {
    let (header, events) = fortnight();
    let r = report::build(&header, events, None).expect("report");
    println!("{}", report::markdown(&r));
}
