/* graph.h — the network of one case, or of every case the session may read,
 * for Gephi or Graphviz: cases, persons, devices and identifiers as nodes,
 * their ties as edges, labels in both scripts.
 *
 * An identifier is ONE node per kind and normalised value, whatever case or
 * subject it was recorded for: that is what makes the network show links. The
 * cases outside the export that share one of its identifiers are nodes too.
 * Need-to-know (as in links.h): of such a case the session may not read, the
 * graph holds its number and its lead investigator, and one edge from the
 * shared identifier to it — never its title, status, persons or devices, nor
 * whose identifier it is there or how often. */
#ifndef DALIL_GRAPH_H
#define DALIL_GRAPH_H

#include <stddef.h>

#include "json.h"
#include "session.h"
#include "status.h"

typedef enum dl_graph_node_kind {
	DL_GRAPH_CASE,
	DL_GRAPH_PERSON,
	DL_GRAPH_DEVICE,
	DL_GRAPH_IDENTIFIER,
} dl_graph_node_kind;

/* "case", "person", "device", "identifier", NULL — index = dl_graph_node_kind. */
extern const char *const graph_node_kind_names[];

/* One node. Strings are owned by the graph; those of other kinds are NULL. */
typedef struct dl_graph_node {
	dl_graph_node_kind kind;
	char *id;                  /* "c12", "p3", "d4", "i:phone:_2B218912345678": an XML
	                              NMTOKEN (see graph.c ident_id) */
	long long db_id;           /* the case's, person's or device's row id; 0 for identifiers */
	/* case */
	int restricted;            /* the session may not read it: number and lead only */
	char *number, *title_ar, *title_en, *status;
	char *lead;                /* username of its lead investigator, NULL when none */
	char *lead_name;           /* the lead's English name, else Arabic name, else NULL */
	/* person */
	char *name_ar, *name_lat;
	/* device */
	char *device_type, *make, *model, *serial;
	char *imeis;               /* its IMEIs, comma-separated, oldest first; NULL when none */
	/* identifier */
	char *ident_kind, *value;  /* identifier_kind_names, normalised value */
} dl_graph_node;

typedef enum dl_graph_edge_kind {
	DL_GRAPH_IN_CASE,          /* person — case: their roles there */
	DL_GRAPH_SEIZED_IN,        /* device — its case */
	DL_GRAPH_OWNER,            /* device — the person who owns it */
	DL_GRAPH_HAS,              /* person or device — identifier */
	DL_GRAPH_FOUND_IN,         /* identifier — case whose evidence items hold it */
	DL_GRAPH_RECORDED_IN,      /* identifier — case it was recorded on (no subject) */
	DL_GRAPH_RESTRICTED,       /* identifier — case the session may not read */
} dl_graph_edge_kind;

/* "in_case", "seized_in", "owner", "has", "found_in", "recorded_in",
 * "restricted", NULL — index = dl_graph_edge_kind. */
extern const char *const graph_edge_kind_names[];

typedef struct dl_graph_edge {
	dl_graph_edge_kind kind;
	size_t source, target;     /* indexes into nodes: person/device/identifier first,
	                              then what it ties to (case, person, identifier) */
	char *role;                /* in_case: person_role_names, comma-separated, sorted */
	char *network_role;        /* in_case: person_network_role_names, comma-separated, or NULL */
	long long items;           /* found_in: how many evidence items hold the identifier */
} dl_graph_edge;

/* Nodes by kind (cases, persons, devices, identifiers), then cases by number,
 * persons and devices by id, identifiers by kind and value; edges by source,
 * target and kind. The same data always gives the same graph. */
typedef struct dl_graph {
	dl_graph_node *nodes;
	size_t nnodes;
	dl_graph_edge *edges;
	size_t nedges;
	size_t ncases;             /* cases whose content is in the graph (readable ones) */
} dl_graph;

/* The network of the case with this number (the session must be allowed to
 * read it), or with case_number NULL of every case it may read. Clerks are
 * refused (DL_EPERM): the SPEC gives them the court report of finished cases;
 * a cross-case network of persons and identifiers is an investigator's
 * analysis tool, not something a read-only role hands out. */
dl_status graph_build(dl_session *s, const char *case_number, dl_graph *out, dl_err *err);

void graph_free(dl_graph *g);

/* The graph as GraphML 1.0 (UTF-8, every attribute declared in a <key>, an
 * undirected graph) or as a Graphviz DOT "graph". Text that XML or DOT cannot
 * carry (control characters, invalid UTF-8) becomes U+FFFD. */
void graph_graphml(const dl_graph *g, dl_buf *out);
void graph_dot(const dl_graph *g, dl_buf *out);

/* "graphml", "dot", NULL. */
extern const char *const graph_format_names[];

typedef struct graph_result {
	size_t nodes, edges, cases;
	size_t bytes;
	char sha256[65];           /* of the file written */
} graph_result;

/* Build the graph (graph_build), write it in format to path and record the
 * export in the audit log: one "graph_export" entry per case whose content is
 * in the file (entity "cases", so that it shows in that case's audit), with the
 * file, format, scope and SHA-256, committed before the file appears. The file
 * is written to a temporary name in the same directory, synced, and put in
 * place without replacing anything (mode 0600: it names persons). Errors:
 * field "format" for an unknown format, field "output" when path exists or
 * cannot be written. */
dl_status graph_export(dl_session *s, const char *case_number, const char *format,
                       const char *path, graph_result *res, dl_err *err);

#endif
