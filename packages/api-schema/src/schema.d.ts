// Generated from the backend's OpenAPI document by `npm run generate -w @notebook-ship/api-schema`; do not edit.

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness, and the version that is running */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign out: ends the session on this server */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who ran, edited, shared or restored what, and when: newest first, a page at a time */
        get: operations["read_audit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/{notebook_id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The notebook as a Python script, a Jupyter notebook (.ipynb) or a static HTML page, as a download */
        get: operations["export_notebook"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new notebook from a Jupyter notebook (.ipynb) or a Python script */
        post: operations["import_notebook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/deleted": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Deleted notebooks the caller may bring back (their owners and admins), until the storage's retention removes them */
        get: operations["list_deleted"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/{notebook_id}/undelete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Bring back a deleted notebook as it was last saved (its owner or an admin) */
        post: operations["undelete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/{notebook_id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The notebook's saved versions, newest first, a page at a time */
        get: operations["list_versions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/{notebook_id}/versions/{version_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One saved version of the notebook: its name and cells */
        get: operations["get_version"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/{notebook_id}/versions/{version_id}/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the version changes against another version or, by default, the notebook as it is now */
        get: operations["diff_version"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/{notebook_id}/versions/{version_id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace the notebook's cells with the version's (saved as a new version) */
        post: operations["restore_version"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every notebook, most recently changed first
         * @description Only those the caller may read.
         */
        get: operations["list_notebooks"];
        put?: never;
        /** A new, empty notebook */
        post: operations["create_notebook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/{notebook_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A notebook with its cells and their last results */
        get: operations["get_notebook"];
        put?: never;
        post?: never;
        /** Delete a notebook and its kernel (its owner or an admin can bring it back for a while) */
        delete: operations["delete_notebook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/{notebook_id}/name": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Rename a notebook */
        put: operations["rename_notebook"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/{notebook_id}/db": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set (or, with an empty string, remove) the PostgreSQL connection of the SQL cells */
        put: operations["set_db_connection"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/{notebook_id}/kernel-size": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Choose the size preset of the notebook's kernel; a running kernel keeps its size until it restarts */
        put: operations["set_kernel_size"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/{notebook_id}/access": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who owns the notebook and whom it is shared with */
        get: operations["get_access"];
        /** Share the notebook: replaces every share (a person by e-mail or a group, as editor or viewer) */
        put: operations["set_access"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/{notebook_id}/cells": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a cell */
        post: operations["create_cell"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/{notebook_id}/cells/{cell_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Change a cell's code, type or SQL output name; it runs when asked */
        put: operations["update_cell"];
        post?: never;
        /** Delete a cell; its dependents re-run */
        delete: operations["delete_cell"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/{notebook_id}/cells/{cell_id}/move": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move a cell to another position */
        post: operations["move_cell"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notebooks/{notebook_id}/cells/{cell_id}/table": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A page of the DataFrame a cell displayed, filtered and sorted over all its rows */
        get: operations["table_page"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/kernels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The running kernels of the notebooks the caller may read, most recently changed notebook first */
        get: operations["list_kernels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/kernels/sizes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The kernel sizes notebooks may choose, and where they run */
        get: operations["kernel_sizes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/kernels/{notebook_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Stop a notebook's kernel and every process it started */
        delete: operations["stop_kernel"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How this server signs people in, and who is signed in */
        get: operations["get_session"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Start signing in: redirects to the identity provider */
        get: operations["login"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where the identity provider returns: signs the person in, then redirects to the page they wanted */
        get: operations["callback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** AccessUpdate */
        AccessUpdate: {
            /**
             * Shares
             * @description replaces every share; the owner stays
             */
            shares: components["schemas"]["ShareEntry"][];
        };
        /** AuditActor */
        AuditActor: {
            /**
             * Id
             * @description an e-mail, the identity provider's subject, `service` (the access token) or `local`
             */
            id: string;
            /** Name */
            name: string;
        };
        /** AuditEvent */
        AuditEvent: {
            /**
             * Time
             * Format: date-time
             */
            time: string;
            actor: components["schemas"]["AuditActor"];
            /**
             * Action
             * @description the REST route's operation id (update_cell, restore_version, set_access, ...), the WebSocket's run_cell, run_all, interrupt or restart_kernel, or sign_in, sign_out
             */
            action: string;
            /** Notebook Id */
            notebook_id: string | null;
            /**
             * Detail
             * @description the other path parameters (cell_id, version_id); never a body
             */
            detail: {
                [key: string]: components["schemas"]["JsonValue"];
            };
        };
        /** AuditEventList */
        AuditEventList: {
            /**
             * Events
             * @description newest first
             */
            events: components["schemas"]["AuditEvent"][];
            /**
             * Next Cursor
             * @description pass as `before` for the next, older page; null: this is the last
             */
            next_cursor: string | null;
        };
        /** AuthSession */
        AuthSession: {
            /**
             * Mode
             * @description oidc: people sign in; token: the ACCESS_TOKEN is asked for; open: nothing is asked
             * @enum {string}
             */
            mode: "oidc" | "token" | "open";
            /** @description who is signed in (oidc), the token's principal, or null */
            user: components["schemas"]["SessionUser"] | null;
            /**
             * Csrf Token
             * @description send as the X-CSRF-Token header with every change (oidc)
             */
            csrf_token: string | null;
            /**
             * Login Url
             * @description where to send the browser to sign in (oidc)
             */
            login_url: string | null;
        };
        /** Cell */
        Cell: {
            /** Id */
            id: string;
            /**
             * Type
             * @enum {string}
             */
            type: "python" | "sql" | "markdown";
            /** Code */
            code: string;
            /**
             * Output Name
             * @description SQL cells: the Python variable that receives the result; else null
             */
            output_name: string | null;
            /**
             * Revision
             * @description counts the changes of the cell's source; an update may name the one it is based on
             */
            revision: number;
            /** Defines */
            defines: string[];
            /** References */
            references: string[];
            /**
             * Depends On
             * @description ids of the cells defining names this cell reads
             */
            depends_on: string[];
            /**
             * Static Errors
             * @description problems found without running; the cell cannot run
             */
            static_errors: components["schemas"]["StaticError"][];
            status: components["schemas"]["CellStatus"];
            /**
             * Stale
             * @description the current code has not run successfully in the current kernel
             */
            stale: boolean;
            /**
             * Ran Revision
             * @description the revision of the code the last run executed; null: never ran. Below `revision`: the code was edited since; equal while stale: only its inputs or the kernel changed
             */
            ran_revision: number | null;
            /**
             * Blocked By
             * @description status blocked: the ancestor cell that failed or is stale
             */
            blocked_by: string | null;
            /**
             * Duration
             * @description seconds the last finished run took
             */
            duration: number | null;
            /**
             * Stdout
             * @description everything the last run printed, stdout and stderr interleaved
             */
            stdout: string;
            /**
             * Console
             * @description what the last run printed, in order, split by stream
             */
            console: components["schemas"]["ConsoleChunk"][];
            /**
             * Console Truncated
             * @description the oldest console text was dropped to keep the console limit
             */
            console_truncated: boolean;
            /** Outputs */
            outputs: (components["schemas"]["TableOutput"] | components["schemas"]["PlotlyOutput"] | components["schemas"]["ImageOutput"] | components["schemas"]["HtmlOutput"] | components["schemas"]["MarkdownOutput"] | components["schemas"]["SvgOutput"] | components["schemas"]["JsonOutput"] | components["schemas"]["TextOutput"])[];
            error: components["schemas"]["CellError"] | null;
        };
        /** CellChange */
        CellChange: {
            /** Id */
            id: string;
            /**
             * Change
             * @description `added`: only in the version; `removed`: only in the base; `changed`: its type, output name or code differs
             * @enum {string}
             */
            change: "added" | "removed" | "changed" | "unchanged";
            /**
             * Moved
             * @description in both, but the version puts it elsewhere relative to the cells both have
             */
            moved: boolean;
            /** @description the cell in the base; null when the version adds it */
            base: components["schemas"]["VersionCell"] | null;
            /** @description the cell in the version; null when the version removes it */
            version: components["schemas"]["VersionCell"] | null;
            /**
             * Lines
             * @description the base's code turned into the version's, line by line
             */
            lines: components["schemas"]["LineRun"][];
        };
        /** CellCreate */
        CellCreate: {
            /**
             * Type
             * @default python
             * @enum {string}
             */
            type?: "python" | "sql" | "markdown";
            /**
             * After Cell Id
             * @description insert after this cell; absent or null: at the end
             */
            after_cell_id?: string | null;
            /**
             * Code
             * @default
             */
            code?: string;
            /**
             * Output Name
             * @description SQL cells; kept but unused for Python cells
             */
            output_name?: string | null;
        };
        /** CellCreated */
        CellCreated: {
            /** Cell Id */
            cell_id: string;
        };
        /** CellError */
        CellError: {
            /**
             * Type
             * @description the exception's type, or the engine's: KernelDied, CycleError, ...
             */
            type: string;
            /** Message */
            message: string;
            /** Traceback */
            traceback: components["schemas"]["TracebackFrame"][];
            /**
             * Text
             * @description the formatted traceback, to show as is
             */
            text: string;
        };
        /** CellMove */
        CellMove: {
            /**
             * Index
             * @description the cell's new 0-based position; past the end means last
             */
            index: number;
        };
        /** CellOrder */
        CellOrder: {
            /** Cell Ids */
            cell_ids: string[];
        };
        /**
         * CellStatus
         * @enum {string}
         */
        CellStatus: "idle" | "queued" | "running" | "success" | "error" | "blocked" | "interrupted";
        /** CellUpdate */
        CellUpdate: {
            /**
             * Revision
             * @description the cell's revision this edit is based on: if the cell is at another one, nothing changes and the answer is 409 with the current cell. Absent or null: the edit applies to whatever the cell holds
             */
            revision?: number | null;
            /** Code */
            code?: string | null;
            /** Type */
            type?: ("python" | "sql" | "markdown") | null;
            /**
             * Output Name
             * @description SQL cells; "" restores the default name; kept but unused for Python cells
             */
            output_name?: string | null;
        };
        /** ConsoleChunk */
        ConsoleChunk: {
            /**
             * Stream
             * @enum {string}
             */
            stream: "stdout" | "stderr";
            /** Text */
            text: string;
        };
        /** DbConnection */
        DbConnection: {
            /**
             * Connection String
             * @description the whitespace around it is removed; "" (or only whitespace) removes the connection
             */
            connection_string: string;
        };
        /** DbConnectionState */
        DbConnectionState: {
            /** Db Connection Set */
            db_connection_set: boolean;
        };
        /** DeletedNotebookList */
        DeletedNotebookList: {
            /**
             * Notebooks
             * @description most recently deleted first
             */
            notebooks: components["schemas"]["DeletedNotebookSummary"][];
        };
        /** DeletedNotebookSummary */
        DeletedNotebookSummary: {
            /** Id */
            id: string;
            /**
             * Name
             * @description its name when it was deleted
             */
            name: string;
            /**
             * Deleted At
             * Format: date-time
             */
            deleted_at: string;
        };
        /** EditConflict */
        EditConflict: {
            /** Detail */
            detail: string;
            /** @description the cell as it is now, to show or merge with the refused edit */
            cell: components["schemas"]["Cell"];
        };
        /** ErrorDetail */
        ErrorDetail: {
            /** Detail */
            detail: string;
        };
        /** HTTPValidationError */
        HTTPValidationError: {
            /** Detail */
            detail?: components["schemas"]["ValidationError"][];
        };
        /** Health */
        Health: {
            /**
             * Status
             * @default ok
             * @constant
             */
            status?: "ok";
            /** Version */
            version: string;
        };
        /**
         * HtmlOutput
         * @description A value's `_repr_html_` (or text/html in its `_repr_mimebundle_`): untrusted, shown in a sandboxed iframe.
         */
        HtmlOutput: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "html";
            /** Html */
            html: string;
            /**
             * Truncated
             * @description cut at the rich output limit (1,000,000 characters)
             */
            truncated: boolean;
        };
        /**
         * ImageOutput
         * @description A matplotlib figure (PNG), or a value's `_repr_png_` / `_repr_jpeg_`.
         */
        ImageOutput: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "image";
            /**
             * Mime
             * @enum {string}
             */
            mime: "image/png" | "image/jpeg";
            /**
             * Data
             * @description base64
             */
            data: string;
        };
        /**
         * JsonOutput
         * @description A value's `_repr_json_` (or application/json).
         */
        JsonOutput: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "json";
            data: components["schemas"]["JsonValue"];
        };
        JsonValue: unknown;
        /** Kernel */
        Kernel: {
            /**
             * State
             * @enum {string}
             */
            state: "starting" | "ready" | "restarting" | "stopped";
            /**
             * Reason
             * @description why the kernel is in this state: it died, or was stopped (idle, or on request)
             */
            reason?: string | null;
            /**
             * Progress
             * @description while it starts and that takes long (an ECS task), how far it is; see kernel_status
             */
            progress?: string | null;
        };
        /** KernelInfo */
        KernelInfo: {
            /** Notebook Id */
            notebook_id: string;
            /** Notebook Name */
            notebook_name: string;
            /**
             * Pid
             * @description the kernel's process; null while it starts
             */
            pid: number | null;
            /**
             * State
             * @enum {string}
             */
            state: "starting" | "ready" | "restarting" | "stopped";
            /**
             * Memory Bytes
             * @description resident memory of the kernel's process and every process it started; null where unknown
             */
            memory_bytes: number | null;
            /**
             * Age Seconds
             * @description seconds since the kernel started; null while it starts
             */
            age_seconds: number | null;
            /**
             * Idle Seconds
             * @description seconds since a client last used the notebook
             */
            idle_seconds: number;
            /**
             * Clients
             * @description WebSockets connected to the notebook
             */
            clients: number;
        };
        /** KernelList */
        KernelList: {
            /** Kernels */
            kernels: components["schemas"]["KernelInfo"][];
        };
        /** KernelSizeChoice */
        KernelSizeChoice: {
            /**
             * Kernel Size
             * @description one of the sizes GET /api/kernels/sizes lists
             * @enum {string}
             */
            kernel_size: "small" | "medium" | "large";
        };
        /** KernelSizeOption */
        KernelSizeOption: {
            /**
             * Name
             * @enum {string}
             */
            name: "small" | "medium" | "large";
            /**
             * Vcpus
             * @description virtual CPUs of a kernel task of this size
             */
            vcpus: number;
            /**
             * Memory Gib
             * @description memory of a kernel task of this size, in GiB
             */
            memory_gib: number;
        };
        /** KernelSizeSet */
        KernelSizeSet: {
            /**
             * Kernel Size
             * @enum {string}
             */
            kernel_size: "small" | "medium" | "large";
            /**
             * Applies At Next Start
             * @description the notebook's kernel runs with its former size: the new one applies once it restarts
             */
            applies_at_next_start: boolean;
        };
        /** KernelSizes */
        KernelSizes: {
            /**
             * Launcher
             * @description where kernels run (KERNEL_LAUNCHER): `ecs`, each in an ECS task of its notebook's size; `process`, in the server's own task, whatever the size (it applies once kernels run on ECS)
             * @enum {string}
             */
            launcher: "process" | "ecs";
            /**
             * Default
             * @description the size of a notebook that chose none
             * @enum {string}
             */
            default: "small" | "medium" | "large";
            /**
             * Sizes
             * @description the sizes notebooks may choose (KERNEL_SIZES), in its order
             */
            sizes: components["schemas"]["KernelSizeOption"][];
        };
        /** LineRun */
        LineRun: {
            /**
             * Kind
             * @enum {string}
             */
            kind: "same" | "added" | "removed";
            /**
             * Lines
             * @description consecutive lines of this kind, without their line breaks
             */
            lines: string[];
        };
        /**
         * MarkdownOutput
         * @description A value's `_repr_markdown_` (or text/markdown): rendered and sanitized by the client.
         */
        MarkdownOutput: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "markdown";
            /** Markdown */
            markdown: string;
            /**
             * Truncated
             * @description cut at the rich output limit (1,000,000 characters)
             */
            truncated: boolean;
        };
        /** Notebook */
        Notebook: {
            /** Id */
            id: string;
            /** Name */
            name: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Db Connection Set */
            db_connection_set: boolean;
            /**
             * Kernel Size
             * @description the size preset the notebook's next kernel gets
             * @enum {string}
             */
            kernel_size: "small" | "medium" | "large";
            /**
             * Seq
             * @description the last event included; WebSocket messages with a larger seq follow it
             */
            seq: number;
            /**
             * Role
             * @description what the caller may do: viewers read, editors also change and run
             * @enum {string}
             */
            role: "owner" | "editor" | "viewer";
            /**
             * Owner
             * @description who made it (an e-mail); null: made before sign-in, admins only
             */
            owner: string | null;
            kernel: components["schemas"]["Kernel"];
            /** Cells */
            cells: components["schemas"]["Cell"][];
        };
        /** NotebookAccess */
        NotebookAccess: {
            /**
             * Owner
             * @description null: made before sign-in; only admins can see and share it
             */
            owner: string | null;
            /** Shares */
            shares: components["schemas"]["ShareEntry"][];
        };
        /** NotebookCreate */
        NotebookCreate: {
            /**
             * Name
             * @description not blank; the whitespace around it is removed
             * @default Untitled notebook
             */
            name?: string;
        };
        /** NotebookCreated */
        NotebookCreated: {
            /** Notebook Id */
            notebook_id: string;
        };
        /** NotebookImport */
        NotebookImport: {
            /**
             * Name
             * @description not blank; the whitespace around it is removed
             */
            name: string;
            /**
             * Format
             * @enum {string}
             */
            format: "ipynb" | "py";
            /**
             * Content
             * @description the file's text: a Jupyter notebook (nbformat 4) or a Python script
             */
            content: string;
        };
        /** NotebookList */
        NotebookList: {
            /** Notebooks */
            notebooks: components["schemas"]["NotebookSummary"][];
        };
        /** NotebookRename */
        NotebookRename: {
            /**
             * Name
             * @description not blank; the whitespace around it is removed
             */
            name: string;
        };
        /** NotebookSummary */
        NotebookSummary: {
            /** Id */
            id: string;
            /** Name */
            name: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Cell Count */
            cell_count: number;
            /** Db Connection Set */
            db_connection_set: boolean;
            /**
             * Kernel Size
             * @description the size preset the notebook's next kernel gets (see GET /api/kernels/sizes)
             * @enum {string}
             */
            kernel_size: "small" | "medium" | "large";
            /**
             * Role
             * @description what the caller may do: viewers read, editors also change and run
             * @enum {string}
             */
            role: "owner" | "editor" | "viewer";
            /**
             * Owner
             * @description who made it (an e-mail); null: made before sign-in, admins only
             */
            owner: string | null;
        };
        /** NotebookVersion */
        NotebookVersion: {
            /** Version Id */
            version_id: string;
            /** Name */
            name: string;
            /** Cells */
            cells: components["schemas"]["VersionCell"][];
        };
        /** NotebookVersionDiff */
        NotebookVersionDiff: {
            /** Version Id */
            version_id: string;
            /**
             * Base Version Id
             * @description null: compared with the notebook as it is now
             */
            base_version_id: string | null;
            /**
             * Name
             * @description the notebook's name in the version
             */
            name: string;
            /** Base Name */
            base_name: string;
            /**
             * Cells
             * @description in the version's order, each removed cell after the one it followed in the base
             */
            cells: components["schemas"]["CellChange"][];
        };
        /** NotebookVersionList */
        NotebookVersionList: {
            /**
             * Versions
             * @description newest first
             */
            versions: components["schemas"]["NotebookVersionSummary"][];
            /**
             * Next Cursor
             * @description pass as `cursor` for the next, older page; null: this is the last
             */
            next_cursor: string | null;
        };
        /** NotebookVersionSummary */
        NotebookVersionSummary: {
            /** Version Id */
            version_id: string;
            /**
             * Saved At
             * Format: date-time
             */
            saved_at: string;
            /**
             * Deleted
             * @description the notebook was deleted here: this entry has no document
             */
            deleted: boolean;
            /**
             * Name
             * @description the notebook's name in this version; null for a deletion
             */
            name: string | null;
            /**
             * Cell Count
             * @description null for a deletion
             */
            cell_count: number | null;
        };
        /** PlotlyOutput */
        PlotlyOutput: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "plotly";
            /**
             * Spec
             * @description the figure's JSON, for Plotly.react
             */
            spec: {
                [key: string]: components["schemas"]["JsonValue"];
            };
        };
        /** SessionUser */
        SessionUser: {
            /**
             * Id
             * @description the e-mail when the identity provider gives one, else its subject
             */
            id: string;
            /** Name */
            name: string;
            /** Email */
            email: string | null;
            /** Groups */
            groups: string[];
            /**
             * Admin
             * @description owner of every notebook, reader of the audit log
             */
            admin: boolean;
        };
        /** ShareEntry */
        ShareEntry: {
            /**
             * Kind
             * @enum {string}
             */
            kind: "user" | "group";
            /**
             * Name
             * @description a person's e-mail (as the identity provider gives it) or a group's name
             */
            name: string;
            /**
             * Role
             * @enum {string}
             */
            role: "editor" | "viewer";
        };
        /** StaticError */
        StaticError: {
            kind: components["schemas"]["StaticErrorKind"];
            /** Message */
            message: string;
            /** Line */
            line: number | null;
            /** Column */
            column: number | null;
            /** Cells */
            cells: string[];
            /** Names */
            names: string[];
        };
        /**
         * StaticErrorKind
         * @enum {string}
         */
        StaticErrorKind: "syntax" | "import-star" | "private-placeholder" | "invalid-output-name" | "multiple-definition" | "cycle";
        /**
         * SvgOutput
         * @description A value's `_repr_svg_` (or image/svg+xml): untrusted, shown as an image, never as live DOM.
         */
        SvgOutput: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "svg";
            /** Svg */
            svg: string;
        };
        /**
         * TableOutput
         * @description A pandas DataFrame or Series: its first rows and columns, and the full size.
         */
        TableOutput: {
            /**
             * Columns
             * @description labels of the columns shown (the first 200)
             */
            columns: string[];
            /** Dtypes */
            dtypes: string[];
            /** Index */
            index: components["schemas"]["JsonValue"][];
            /** Rows */
            rows: components["schemas"]["JsonValue"][][];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "table";
            /**
             * Table Id
             * @description names this display of the frame to the table route, which pages the whole frame
             */
            table_id: string;
            /** Total Rows */
            total_rows: number;
            /** Total Columns */
            total_columns: number;
            /**
             * Truncated
             * @description rows or columns were left out (fewer than total_rows / total_columns)
             */
            truncated: boolean;
        };
        /**
         * TablePage
         * @description Rows of a displayed DataFrame after filtering and sorting (GET .../cells/{cell_id}/table).
         */
        TablePage: {
            /**
             * Columns
             * @description labels of the columns shown (the first 200)
             */
            columns: string[];
            /** Dtypes */
            dtypes: string[];
            /** Index */
            index: components["schemas"]["JsonValue"][];
            /** Rows */
            rows: components["schemas"]["JsonValue"][][];
            /** Table Id */
            table_id: string;
            /**
             * Offset
             * @description position of the first row of `rows` among the matching rows
             */
            offset: number;
            /**
             * Total Rows
             * @description rows matching the filters: all the frame's rows when there are none
             */
            total_rows: number;
        };
        /** TextOutput */
        TextOutput: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            kind: "text";
            /** Text */
            text: string;
            /**
             * Truncated
             * @description part of the repr was left out: shortened (`...`) or cut at the text limit
             */
            truncated: boolean;
        };
        /** TracebackFrame */
        TracebackFrame: {
            /**
             * Cell Id
             * @description the cell the line belongs to; null for library code
             */
            cell_id: string | null;
            /** Filename */
            filename: string;
            /** Line */
            line: number | null;
            /** Name */
            name: string;
            /** Code */
            code: string | null;
        };
        /** ValidationError */
        ValidationError: {
            /** Location */
            loc: (string | number)[];
            /** Message */
            msg: string;
            /** Error Type */
            type: string;
            /** Input */
            input?: unknown;
            /** Context */
            ctx?: Record<string, never>;
        };
        /** VersionCell */
        VersionCell: {
            /** Id */
            id: string;
            /**
             * Type
             * @enum {string}
             */
            type: "python" | "sql" | "markdown";
            /** Code */
            code: string;
            /** Output Name */
            output_name: string | null;
        };
        /** CellCreatedMessage */
        CellCreatedMessage: {
            /** Seq */
            seq: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "cell_created";
            cell: components["schemas"]["Cell"];
            /** Index */
            index: number | null;
        };
        /** CellDeletedMessage */
        CellDeletedMessage: {
            /** Seq */
            seq: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "cell_deleted";
            /** Cell Id */
            cell_id: string;
        };
        /** CellErrorMessage */
        CellErrorMessage: {
            /** Seq */
            seq: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "cell_error";
            /** Cell Id */
            cell_id: string;
            error: components["schemas"]["CellError"];
        };
        /** CellGraph */
        CellGraph: {
            /** Defines */
            defines: string[];
            /** References */
            references: string[];
            /**
             * Depends On
             * @description ids of the cells defining names this cell reads
             */
            depends_on: string[];
            /**
             * Static Errors
             * @description problems found without running; the cell cannot run
             */
            static_errors: components["schemas"]["StaticError"][];
        };
        /** CellMovedMessage */
        CellMovedMessage: {
            /** Seq */
            seq: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "cell_moved";
            /** Cell Id */
            cell_id: string;
            /** Index */
            index: number;
        };
        /** CellOutputMessage */
        CellOutputMessage: {
            /** Seq */
            seq: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "cell_output";
            /** Cell Id */
            cell_id: string;
            /** Outputs */
            outputs: (components["schemas"]["TableOutput"] | components["schemas"]["PlotlyOutput"] | components["schemas"]["ImageOutput"] | components["schemas"]["HtmlOutput"] | components["schemas"]["MarkdownOutput"] | components["schemas"]["SvgOutput"] | components["schemas"]["JsonOutput"] | components["schemas"]["TextOutput"])[];
        };
        /** CellSource */
        CellSource: {
            /** Id */
            id: string;
            /**
             * Type
             * @enum {string}
             */
            type: "python" | "sql" | "markdown";
            /** Code */
            code: string;
            /**
             * Output Name
             * @description SQL cells: the Python variable that receives the result; else null
             */
            output_name: string | null;
            /**
             * Revision
             * @description counts the changes of the cell's source; an update may name the one it is based on
             */
            revision: number;
        };
        /** CellStatusMessage */
        CellStatusMessage: {
            /** Seq */
            seq: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "cell_status";
            /** Cell Id */
            cell_id: string;
            status: components["schemas"]["CellStatus"];
            /** Stale */
            stale: boolean;
            /** Ran Revision */
            ran_revision: number | null;
            /** Blocked By */
            blocked_by: string | null;
            /** Duration */
            duration: number | null;
        };
        /** CellStdoutMessage */
        CellStdoutMessage: {
            /** Seq */
            seq: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "cell_stdout";
            /** Cell Id */
            cell_id: string;
            /**
             * Stream
             * @enum {string}
             */
            stream: "stdout" | "stderr";
            /** Text */
            text: string;
        };
        /** CellUpdatedMessage */
        CellUpdatedMessage: {
            /** Seq */
            seq: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "cell_updated";
            cell: components["schemas"]["CellSource"];
            /** Index */
            index: number | null;
        };
        /** CompleteMessage */
        CompleteMessage: {
            /**
             * Request Id
             * @description Chosen by the client; the reply carries it
             */
            request_id: number;
            /** Cell Id */
            cell_id: string;
            /** Code */
            code: string;
            /**
             * Cursor
             * @description Offset in `code`, in Unicode code points (not UTF-16 units)
             */
            cursor: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "complete";
        };
        /** CompletionItem */
        CompletionItem: {
            /** Label */
            label: string;
            /**
             * Kind
             * @description Jedi's type (module, class, function, instance, keyword...), or table / column in SQL
             */
            kind: string;
            /**
             * Detail
             * @default null
             */
            detail?: string | null;
        };
        /**
         * CompletionsMessage
         * @description Answers `complete`. Empty with a `reason` when the kernel cannot answer now (not started, or stuck).
         */
        CompletionsMessage: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "completions";
            /** Request Id */
            request_id: number;
            /** Cell Id */
            cell_id: string;
            /**
             * Start
             * @description Code-point offset where the text the items replace starts (up to the cursor)
             */
            start: number;
            /** Items */
            items: components["schemas"]["CompletionItem"][];
            /**
             * Reason
             * @default null
             */
            reason: string | null;
        };
        /**
         * ErrorMessage
         * @description The client's last message was refused; the connection stays open.
         */
        ErrorMessage: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "error";
            /** Message */
            message: string;
            /** Details */
            details?: components["schemas"]["MessageProblem"][];
            /**
             * Cell Id
             * @default null
             */
            cell_id?: string | null;
        };
        /** GraphMessage */
        GraphMessage: {
            /** Seq */
            seq: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "graph";
            /** Cells */
            cells: {
                [key: string]: components["schemas"]["CellGraph"];
            };
        };
        /**
         * InspectMessage
         * @description Hover docs and signature help at the cursor.
         */
        InspectMessage: {
            /**
             * Request Id
             * @description Chosen by the client; the reply carries it
             */
            request_id: number;
            /** Cell Id */
            cell_id: string;
            /** Code */
            code: string;
            /**
             * Cursor
             * @description Offset in `code`, in Unicode code points (not UTF-16 units)
             */
            cursor: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "inspect";
        };
        /**
         * InspectionMessage
         * @description Answers `inspect`: what the name at the cursor is, and the signatures of the call around it.
         */
        InspectionMessage: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "inspection";
            /** Request Id */
            request_id: number;
            /** Cell Id */
            cell_id: string;
            /** Docs */
            docs: components["schemas"]["NameDoc"][];
            /** Signatures */
            signatures: components["schemas"]["SignatureHelp"][];
            /**
             * Reason
             * @default null
             */
            reason: string | null;
        };
        /** InterruptMessage */
        InterruptMessage: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "interrupt";
        };
        /** KernelStatusMessage */
        KernelStatusMessage: {
            /** Seq */
            seq: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "kernel_status";
            /**
             * State
             * @enum {string}
             */
            state: "starting" | "ready" | "restarting" | "stopped";
            /** Reason */
            reason: string | null;
            /**
             * Progress
             * @description while the kernel starts and that takes long (KERNEL_LAUNCHER=ecs), how far it is, e.g. "ECS task PENDING (12 s)" or "connecting to the kernel (40 s)"; null otherwise
             * @default null
             */
            progress: string | null;
        };
        /** KernelStdoutMessage */
        KernelStdoutMessage: {
            /** Seq */
            seq: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "kernel_stdout";
            /**
             * Stream
             * @enum {string}
             */
            stream: "stdout" | "stderr";
            /** Text */
            text: string;
        };
        /** MessageProblem */
        MessageProblem: {
            /** Type */
            type: string;
            /** Loc */
            loc: (string | number)[];
            /** Msg */
            msg: string;
        };
        /** NameDoc */
        NameDoc: {
            /** Name */
            name: string;
            /** Full Name */
            full_name: string | null;
            /** Kind */
            kind: string;
            /** Signatures */
            signatures: string[];
            /** Doc */
            doc: string;
        };
        /** NotebookDeletedMessage */
        NotebookDeletedMessage: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "notebook_deleted";
            /** Notebook Id */
            notebook_id: string;
        };
        /** NotebookUpdatedMessage */
        NotebookUpdatedMessage: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "notebook_updated";
            notebook: components["schemas"]["NotebookSummary"];
        };
        /**
         * PeopleMessage
         * @description Everyone with the notebook open; sent when someone comes, leaves or moves to another cell.
         */
        PeopleMessage: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "presence";
            /** People */
            people: components["schemas"]["Person"][];
        };
        /** Person */
        Person: {
            /**
             * Id
             * @description an e-mail, or the identity provider's subject
             */
            id: string;
            /** Name */
            name: string;
            /**
             * Cell Ids
             * @description the cells this person edits now, in any of their tabs
             */
            cell_ids: string[];
        };
        /**
         * PresenceMessage
         * @description Which cell this client edits now (null: none), for the others to see.
         */
        PresenceMessage: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "presence";
            /** Cell Id */
            cell_id: string | null;
        };
        /** RestartKernelMessage */
        RestartKernelMessage: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "restart_kernel";
        };
        /** RunAllMessage */
        RunAllMessage: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "run_all";
        };
        /** RunCellMessage */
        RunCellMessage: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "run_cell";
            /** Cell Id */
            cell_id: string;
        };
        /** SignatureHelp */
        SignatureHelp: {
            /** Label */
            label: string;
            /** Params */
            params: string[];
            /**
             * Active
             * @description Index in `params` of the argument at the cursor
             */
            active: number | null;
            /** Doc */
            doc: string;
        };
        /** SnapshotMessage */
        SnapshotMessage: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "snapshot";
            notebook: components["schemas"]["Notebook"];
        };
        /** SyncMessage */
        SyncMessage: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "sync";
        };
        ServerMessage: components["schemas"]["SnapshotMessage"] | components["schemas"]["CellStatusMessage"] | components["schemas"]["CellStdoutMessage"] | components["schemas"]["KernelStdoutMessage"] | components["schemas"]["CellOutputMessage"] | components["schemas"]["CellErrorMessage"] | components["schemas"]["GraphMessage"] | components["schemas"]["CellCreatedMessage"] | components["schemas"]["CellUpdatedMessage"] | components["schemas"]["CellMovedMessage"] | components["schemas"]["CellDeletedMessage"] | components["schemas"]["KernelStatusMessage"] | components["schemas"]["NotebookUpdatedMessage"] | components["schemas"]["NotebookDeletedMessage"] | components["schemas"]["CompletionsMessage"] | components["schemas"]["InspectionMessage"] | components["schemas"]["PeopleMessage"] | components["schemas"]["ErrorMessage"];
        ClientMessage: components["schemas"]["RunCellMessage"] | components["schemas"]["RunAllMessage"] | components["schemas"]["InterruptMessage"] | components["schemas"]["RestartKernelMessage"] | components["schemas"]["SyncMessage"] | components["schemas"]["PresenceMessage"] | components["schemas"]["CompleteMessage"] | components["schemas"]["InspectMessage"];
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description sign-in is off (no OIDC_ISSUER) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    read_audit: {
        parameters: {
            query?: {
                /** @description only this notebook's events */
                notebook_id?: string | null;
                /** @description events per page */
                limit?: number;
                /** @description the `next_cursor` of the previous page; absent: the newest */
                before?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEventList"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the caller may not read the audit log */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the audit log's storage did not answer */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    export_notebook: {
        parameters: {
            query: {
                /** @description py: a script to run with python; ipynb: a Jupyter notebook; html: a static page */
                format: "py" | "ipynb" | "html";
            };
            header?: never;
            path: {
                notebook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/x-python; charset=utf-8": unknown;
                    "application/x-ipynb+json": unknown;
                    "text/html; charset=utf-8": unknown;
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    import_notebook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NotebookImport"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotebookCreated"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description code over 1 MiB, or a body over 8 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    list_deleted: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeletedNotebookList"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    undelete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notebook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Notebook"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the caller's role on the notebook is too low, or a signed-in change lacks its CSRF token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description a notebook with that id exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    list_versions: {
        parameters: {
            query?: {
                /** @description the `next_cursor` of the previous page; absent: the newest */
                cursor?: string | null;
                /** @description versions per page */
                limit?: number;
            };
            header?: never;
            path: {
                notebook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotebookVersionList"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    get_version: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notebook_id: string;
                version_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotebookVersion"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    diff_version: {
        parameters: {
            query?: {
                /** @description the version to compare with; absent: the notebook as it is now (what a restore changes) */
                base?: string | null;
            };
            header?: never;
            path: {
                notebook_id: string;
                version_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotebookVersionDiff"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    restore_version: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notebook_id: string;
                version_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Notebook"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the caller's role on the notebook is too low, or a signed-in change lacks its CSRF token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    list_notebooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotebookList"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    create_notebook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["NotebookCreate"] | null;
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotebookCreated"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description code over 1 MiB, or a body over 8 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    get_notebook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notebook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Notebook"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    delete_notebook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notebook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the caller's role on the notebook is too low, or a signed-in change lacks its CSRF token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    rename_notebook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notebook_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NotebookRename"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotebookSummary"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the caller's role on the notebook is too low, or a signed-in change lacks its CSRF token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description code over 1 MiB, or a body over 8 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    set_db_connection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notebook_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DbConnection"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DbConnectionState"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the caller's role on the notebook is too low, or a signed-in change lacks its CSRF token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description code over 1 MiB, or a body over 8 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    set_kernel_size: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notebook_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["KernelSizeChoice"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KernelSizeSet"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the caller's role on the notebook is too low, or a signed-in change lacks its CSRF token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    get_access: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notebook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotebookAccess"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    set_access: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notebook_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AccessUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotebookAccess"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the caller's role on the notebook is too low, or a signed-in change lacks its CSRF token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    create_cell: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notebook_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CellCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CellCreated"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the caller's role on the notebook is too low, or a signed-in change lacks its CSRF token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description code over 1 MiB, or a body over 8 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    update_cell: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notebook_id: string;
                cell_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CellUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Cell"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the caller's role on the notebook is too low, or a signed-in change lacks its CSRF token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the cell is at another revision than the edit's; nothing changed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EditConflict"];
                };
            };
            /** @description code over 1 MiB, or a body over 8 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    delete_cell: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notebook_id: string;
                cell_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the caller's role on the notebook is too low, or a signed-in change lacks its CSRF token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description code over 1 MiB, or a body over 8 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    move_cell: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notebook_id: string;
                cell_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CellMove"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CellOrder"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the caller's role on the notebook is too low, or a signed-in change lacks its CSRF token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description code over 1 MiB, or a body over 8 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the storage did not acknowledge the change; nothing changed */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    table_page: {
        parameters: {
            query: {
                /** @description the table output's table_id */
                table_id: string;
                /** @description matching rows to skip */
                offset?: number;
                /** @description rows to return */
                limit?: number;
                /** @description the column to sort by: stable, missing values last */
                sort?: string | null;
                descending?: boolean;
                /** @description rows with this text in any column, in any case */
                filter?: string;
                /** @description a JSON object of column to text, e.g. {"city": "par"}: rows with the text in each column */
                filters?: string | null;
            };
            header?: never;
            path: {
                notebook_id: string;
                cell_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TablePage"];
                };
            };
            /** @description an unknown column, or filters the frame's values cannot take */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the kernel is running a cell: try again when it finishes */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the frame is no longer in the kernel (the cell ran again or changed, the kernel restarted) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    list_kernels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KernelList"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    kernel_sizes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KernelSizes"];
                };
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    stop_kernel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                notebook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description not signed in, or the ACCESS_TOKEN is set and not carried */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description the caller's role on the notebook is too low, or a signed-in change lacks its CSRF token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description no notebook or cell with that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_session: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthSession"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: {
                /** @description the page to return to, a path */
                next?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description sign-in is off (no OIDC_ISSUER) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description the identity provider could not be reached */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    callback: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description the provider refused, or its answer did not check out */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description sign-in is off (no OIDC_ISSUER) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
}
