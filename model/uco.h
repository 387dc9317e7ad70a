/* uco.h — a case in the CASE/UCO ontology (JSON-LD), the exchange format of
 * forensic tools (Autopsy writes it): one document with "@context" and
 * "@graph", holding the investigation, its persons and their roles, devices,
 * identifiers as accounts and addresses, evidence sources and items as
 * uco-observable:File with their hashes and "Contained_Within" relationships,
 * and the chain of custody as investigative actions and provenance records.
 *
 * Every node has an IRI kb:KIND-UUID, the UUID a version-5 UUID of the case
 * number, the kind and the store's id (UCO requires IRIs, not blank nodes, and
 * advises a trailing UUID), so the same data gives the same bytes. The
 * document is written as it is read, node by node (one per line), so that a
 * case of a million items needs no more memory than one node. */
#ifndef DALIL_UCO_H
#define DALIL_UCO_H

#include "session.h"
#include "status.h"

typedef struct uco_result {
	long long objects;       /* top-level nodes in @graph */
	long long files;         /* evidence sources and items written as uco-observable:File */
	long long bytes;         /* size of the file */
	char sha256[65];         /* of the file */
} uco_result;

/* Write the case as CASE/UCO JSON-LD at path, which must not exist (field
 * "output"): written to a temporary file beside it, synced, recorded in the
 * audit log ("uco_export" on the case, with the file, its SHA-256 and the
 * node count, committed before the file appears) and put in place without
 * replacing anything, mode 0600. Supervisors and administrators, as for a
 * bundle: the document carries the whole case out of the unit. */
dl_status uco_export(dl_session *s, const char *case_number, const char *path, uco_result *r,
                     dl_err *err);

#endif
