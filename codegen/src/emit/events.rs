//! A webhook event's object, typed: `EventObject` and `Event::object`, as an invocation of the
//! runtime's `event_objects!`, compiled with the `webhooks` feature (its decoding is the
//! runtime's `webhook` module).

use super::{Ctx, features_of, ident};
use crate::ir::Events;
use crate::naming::EVENT_OBJECT;
use crate::syntax;
use quote::quote;
use syn::Attribute;

/// `event_objects! { Event, kind: EventType, fields: (type_, data, object), objects: EventObject,
/// Account if ["feature"] { .. } }`: each object type with the features that compile it and
/// the event types whose object it is.
pub(super) fn event_objects(api: &Ctx, events: &Events, cfg: &[Attribute]) -> syn::Item {
    let event = ident(&api.types[events.event.0].name);
    let kind = ident(&api.types[events.kind.0].name);
    let [kind_field, data_field, object_field] = events.fields.each_ref().map(|f| ident(f));
    let objects = events.objects.iter().map(|(id, variants)| {
        let features = features_of(&api.features.types[id.0]);
        let name = ident(&api.types[id.0].name);
        let variants = variants.iter().map(|v| ident(v));
        quote! { , #name if [#(#features),*] { #(#variants),* } }
    });
    let object = ident(EVENT_OBJECT);
    let mut attrs = cfg.to_vec();
    let webhooks = crate::runtime::WEBHOOKS;
    attrs.push(syntax::attr("cfg", quote! { feature = #webhooks }));
    syntax::macro_item(
        attrs,
        "crate::event_objects",
        quote! {
            #event, kind: #kind, fields: (#kind_field, #data_field, #object_field), objects: #object #(#objects)*
        },
    )
}
