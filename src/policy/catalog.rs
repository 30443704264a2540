//! Framework control catalogs (`policies/catalogs/*.yaml`): the ids and titles a rule may cite.
//!
//! A rule citing a control that is not in a catalog is a load error, so a typo such as
//! `10.3.44` can never reach an auditor's report.

use crate::contract::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Control {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub framework: String,
    pub title: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    pub controls: Vec<Control>,
}

/// All catalogs by framework key.
#[derive(Debug, Clone, Default)]
pub struct Catalogs {
    pub frameworks: BTreeMap<String, Catalog>,
}

impl Catalogs {
    /// Parse one catalog file and add it (a second file for the same framework adds controls).
    pub fn add(&mut self, path: &str, text: &str) -> Result<(), Diagnostic> {
        let cat: Catalog = yaml_serde::from_str(text).map_err(|e| Diagnostic {
            code: "policy::catalog".into(),
            path: path.into(),
            line: e.location().map(|l| l.line() as u32),
            column: e.location().map(|l| l.column() as u32),
            message: format!("invalid control catalog: {e}"),
            help: Some("a catalog is `framework`, `title`, optional `version`/`url`, and `controls: [{id, title}]`".into()),
        })?;
        match self.frameworks.get_mut(&cat.framework) {
            Some(existing) => existing.controls.extend(cat.controls),
            None => {
                self.frameworks.insert(cat.framework.clone(), cat);
            }
        }
        Ok(())
    }

    pub fn control(&self, framework: &str, id: &str) -> Option<&Control> {
        self.frameworks
            .get(framework)?
            .controls
            .iter()
            .find(|c| c.id == id)
    }

    /// Why `framework`/`id` cannot be cited, if it cannot.
    pub fn check(&self, framework: &str, id: &str) -> Option<String> {
        match self.frameworks.get(framework) {
            None => Some(format!(
                "unknown framework `{framework}` (catalogs: {})",
                self.frameworks
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Some(c) if !c.controls.iter().any(|ctl| ctl.id == id) => Some(format!(
                "control `{id}` is not in the `{framework}` catalog"
            )),
            Some(_) => None,
        }
    }
}
