//! CloudTrail Lake event data stores from get-event-data-store outputs, or from
//! list-event-data-stores entries for stores that were not described one by one.
//!
//! get-event-data-store returns every setting, so a missing one takes the AWS default.
//! list-event-data-stores entries carry `EventDataStoreArn` and `Name`; the other settings in
//! them are deprecated and no longer returned by the API, so whatever an entry lacks is
//! `unknown` rather than defaulted.

use super::read::{Src, boolean, number, string};
use super::selectors;
use crate::adapters::InputError;
use crate::model::{EventDataStore, Field, KeyInfo, key_managed_by};
use serde_json::{Value, json};

/// Where an event data store's settings came from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    Get,
    List,
}

pub(super) fn data_store(
    src: Src,
    id: &str,
    origin: Origin,
    errors: &mut Vec<InputError>,
) -> EventDataStore {
    let header = src.loc();
    let missing = |default: Value| match origin {
        Origin::Get => Field::defaulted(default, header.clone()),
        Origin::List => Field::unknown("get-event-data-store not exported", header.clone()),
    };
    let name = string(src, "Name", errors).unwrap_or_else(|| Field::absent(header.clone()));
    let arn =
        string(src, "EventDataStoreArn", errors).unwrap_or_else(|| Field::absent(header.clone()));
    let retention_period =
        number(src, "RetentionPeriod", errors).unwrap_or_else(|| missing(json!(2557)));
    let termination_protection_enabled = boolean(src, "TerminationProtectionEnabled", errors)
        .unwrap_or_else(|| missing(json!(true)));
    let multi_region_enabled =
        boolean(src, "MultiRegionEnabled", errors).unwrap_or_else(|| missing(json!(true)));
    let organization_enabled =
        boolean(src, "OrganizationEnabled", errors).unwrap_or_else(|| missing(json!(false)));
    let kms_key_id = string(src, "KmsKeyId", errors).unwrap_or_else(|| match origin {
        Origin::Get => Field::absent(header.clone()),
        Origin::List => Field::unknown("get-event-data-store not exported", header.clone()),
    });
    let kms_key = kms_key_id.is_known().then(|| KeyInfo {
        managed_by: kms_key_id
            .value
            .as_ref()
            .and_then(Value::as_str)
            .map_or("unknown", key_managed_by)
            .to_string(),
        resource_id: None,
        rotation_enabled: Field::unknown(
            "kms get-key-rotation-status not exported",
            kms_key_id.loc.clone(),
        ),
    });
    let advanced_event_selectors = match src.get("AdvancedEventSelectors") {
        Some(adv) => match selectors::advanced(adv) {
            Ok(v) => Field::known(v, adv.loc()),
            Err(e) => {
                let note = e.message.clone();
                errors.push(e);
                Field::unknown(adv.text(), adv.loc()).with_note(note)
            }
        },
        None => match origin {
            Origin::Get => Field::absent(header.clone()),
            Origin::List => Field::unknown("get-event-data-store not exported", header.clone()),
        },
    };
    let status = string(src, "Status", errors).unwrap_or_else(|| match origin {
        Origin::Get => Field::absent(header.clone()),
        Origin::List => Field::unknown("get-event-data-store not exported", header.clone()),
    });
    EventDataStore {
        id: id.to_string(),
        resource_type: "AWS::CloudTrail::EventDataStore".to_string(),
        loc: header.clone(),
        name,
        arn,
        retention_period,
        termination_protection_enabled,
        kms_key_id,
        kms_key,
        multi_region_enabled,
        organization_enabled,
        advanced_event_selectors,
        status,
    }
}
