//! The end of the default chain, tried at the first request (it needs the network): CCE pod
//! identity when its variables are set, then the ECS metadata service; without them, the
//! metadata service alone. Whichever gives credentials first is kept for every refresh; when
//! neither does, the error says what every source of the chain said.
//!
//! The official SDKs ask the metadata service first. In a CCE pod that answers with the
//! *node's* agency, so a pod would run with the node's rights instead of its own; a pod whose
//! identity is configured (the variables are set for it alone) is asked first, as aws's chain
//! puts container credentials before the instance's for the same reason. A deliberate
//! difference from the official order.

use std::sync::OnceLock;

use super::super::{CredentialsError, ProvideCredentials, ProvideFuture};
use super::ecs_metadata::EcsMetadata;
use super::pod_identity::{self, PodIdentity};

#[derive(Debug)]
pub(crate) struct LazyChain {
    pub(crate) metadata: EcsMetadata,
    pub(crate) pod_identity: Option<PodIdentity>,
    /// What the sources before these said (the environment, the profile file...).
    pub(crate) looked: Vec<String>,
    /// The source that answered first.
    chosen: OnceLock<Box<dyn ProvideCredentials>>,
}

impl LazyChain {
    pub(crate) fn new(
        metadata: EcsMetadata,
        pod_identity: Option<PodIdentity>,
        looked: Vec<String>,
    ) -> Self {
        LazyChain {
            metadata,
            pod_identity,
            looked,
            chosen: OnceLock::new(),
        }
    }
}

impl ProvideCredentials for LazyChain {
    fn name(&self) -> &str {
        self.chosen.get().map_or(
            if self.pod_identity.is_some() {
                "CCE pod identity or the ECS metadata service"
            } else {
                "the ECS metadata service or CCE pod identity"
            },
            |c| c.name(),
        )
    }

    /// A host-local service: never through a proxy.
    fn direct(&self) -> bool {
        true
    }

    fn provide<'a>(&'a self, http: &'a crate::auth::HttpClient) -> ProvideFuture<'a> {
        Box::pin(async move {
            if let Some(chosen) = self.chosen.get() {
                return chosen.provide(http).await;
            }
            let mut looked = self.looked.clone();
            // The pod's own identity first, when it has one: the node's metadata service
            // would answer with the node's agency.
            match &self.pod_identity {
                Some(pod) => match pod.provide(http).await {
                    Ok(credentials) => {
                        let _ = self.chosen.set(Box::new(pod.clone()));
                        return Ok(credentials);
                    }
                    Err(error) => looked.push(error.to_string()),
                },
                None => looked.push(format!(
                    "CCE pod identity ({}, {}: not set)",
                    pod_identity::URI_ENV,
                    pod_identity::TOKEN_FILE_ENV
                )),
            }
            match self.metadata.provide(http).await {
                Ok(credentials) => {
                    let _ = self.chosen.set(Box::new(self.metadata.clone()));
                    return Ok(credentials);
                }
                Err(error) => looked.push(error.to_string()),
            }
            Err(CredentialsError::NotFound { looked })
        })
    }
}
