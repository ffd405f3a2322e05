//! Resolution across the spec: which named types requests and responses reach.

use super::*;

impl<'a> Lowerer<'a> {
    /// Which named types are reachable from requests, from responses, or from both.
    pub(super) fn find_directions(&mut self) {
        let vf = &self.spec.vendor.model;
        let mut out = BTreeSet::new();
        let mut inb = BTreeSet::new();
        for f in &vf.request_envelope.fields {
            self.reach(f, &mut out);
        }
        for f in &vf.response_envelope.fields {
            self.reach(f, &mut inb);
        }
        for (op, [request, response, params]) in self.spec.operations.iter().zip(self.bodies) {
            let (sent, received) = if op.model.inbound { (response, request) } else { (request, response) };
            self.reach(sent, &mut out);
            self.reach(params, &mut out);
            self.reach(received, &mut inb);
        }
        self.both_ways = out.intersection(&inb).cloned().collect();
    }

    pub(super) fn reach(&self, shape: &Shape, seen: &mut BTreeSet<String>) {
        if let Some((name, (named, _))) = shape.ty.named().and_then(|n| Some((n, self.named.get(n)?))) {
            if seen.insert(name.to_owned()) {
                self.reach(named, seen);
            }
        }
        for f in &shape.fields {
            self.reach(f, seen);
        }
        if let Some(items) = &shape.items {
            self.reach(items, seen);
        }
        if let Some(values) = &shape.values_type {
            self.reach(values, seen);
        }
        if let Some(plain) = &shape.plaintext {
            self.reach(plain, seen);
        }
        for v in &shape.variants {
            self.reach(v, seen);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::with_type;

    #[test]
    fn a_type_no_operation_reaches_is_still_generated_request_side() {
        let ir = with_type("  - name: Orphan\n    type: enum\n    description: Unused.\n    values:\n      - {value: A, description: A.}\n")
            .unwrap_or_else(|e| panic!("{e:?}"));
        let aero = ir.vendors.iter().find(|v| v.name == "aero").unwrap();
        let enums: Vec<&str> = aero
            .types
            .iter()
            .filter_map(|i| match i {
                super::Item::Enum(e) => Some(e.name.as_str()),
                _ => None,
            })
            .collect();
        assert!(enums.contains(&"Orphan") && !enums.contains(&"OrphanInbound"), "{enums:?}");
    }
}
