// The report's inline stylesheet: system fonts only, light backgrounds, print rules.
extension HTMLReport {
    static let stylesheet = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        html { background: #eef0f3; }
        body { margin: 0; color: #1d1f23; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1240px; margin: 0 auto; padding: 28px 36px 40px; background: #fff; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 20px; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 2px solid #1d1f23; }
        h3 { font-size: 16px; margin: 22px 0 8px; }
        code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.92em; word-break: break-all; }
        .meta { color: #555; margin: 0 0 14px; }
        dl.data { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 6px 24px; margin: 0 0 18px;
                  padding: 12px 16px; border: 1px solid #dde1e6; border-radius: 6px; background: #f8f9fb; }
        dl.data div { display: flex; gap: 10px; align-items: baseline; min-width: 0; }
        dl.data dt { color: #555; white-space: nowrap; }
        dl.data dt::after { content: ":"; }
        dl.data dd { margin: 0; font-weight: 600; min-width: 0; overflow-wrap: anywhere; }
        nav.toc ol { display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 0; margin: 0 0 8px; list-style-position: inside; color: #555; }
        nav.toc a { color: #0b5cad; text-decoration: none; }
        section { margin-top: 34px; }
        .lead, .caption { color: #333; margin: 4px 0 12px; }
        .caption { font-size: 13px; }
        .small { font-size: 12.5px; color: #444; margin: 4px 0; }
        .note { background: #fff8e1; border-left: 3px solid #d9a400; padding: 6px 10px; margin: 8px 0; }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 6px 0 10px; }
        th, td { padding: 5px 10px; border-bottom: 1px solid #e3e6ea; text-align: right; vertical-align: top; }
        thead th { border-bottom: 2px solid #9aa1a9; vertical-align: bottom; }
        th:first-child, td:first-child, th.text, td.text { text-align: left; }
        tbody th { font-weight: 500; white-space: nowrap; cursor: help; }
        table.summary { width: 100%; }
        table.summary th.bundle { text-align: right; min-width: 150px; max-width: 260px; overflow-wrap: anywhere; }
        table.summary th.bundle .label { display: block; font-weight: 700; }
        table.summary th.bundle .path, table.summary th.bundle .trained { display: block; font-weight: 400; font-size: 11.5px; color: #666; }
        table.summary td { white-space: nowrap; }
        td.best b { font-weight: 800; }
        td.best { background: #f1f6fc; }
        .ci, .n { color: #555; font-size: 12px; }
        .psi-tag { color: #555; font-size: 11.5px; }
        .na { color: #888; }
        .swatch { display: inline-block; width: 22px; height: 0; border-top-width: 3px; margin: 0 6px 3px 0; vertical-align: middle; }
        table.paired tr.significant td { font-weight: 600; }
        table.paired td:not(.text), table.backtest td, table.windows td:not(.text) { white-space: nowrap; }
        ul.verdicts, ul.notes { margin: 6px 0; padding-left: 20px; }
        ul.verdicts li { margin: 3px 0; }
        ul.notes { font-size: 13px; color: #333; }
        figure { margin: 10px 0 18px; break-inside: avoid; page-break-inside: avoid; }
        figcaption { font-size: 12.5px; color: #444; margin-top: 4px; }
        /* Captions wrap to the chart's width instead of widening the figure. */
        .charts > figure { width: fit-content; max-width: 100%; }
        .charts > figure > figcaption { width: 0; min-width: 100%; }
        .charts { display: flex; flex-wrap: wrap; gap: 18px 28px; align-items: flex-start; }
        .panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 10px 24px; }
        .panel-title { font-weight: 700; margin: 0 0 2px; overflow-wrap: anywhere; }
        svg.chart { display: block; max-width: 100%; height: auto; background: #fff; }
        .psi-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px 36px; }
        table.psi { width: 100%; }
        table.psi code { word-break: normal; overflow-wrap: anywhere; }
        tr.psi-moderate td:last-child { font-weight: 600; }
        tr.psi-large td { font-weight: 700; }
        tr.psi-large td:last-child { text-decoration: underline; }
        footer { margin-top: 36px; color: #777; font-size: 12px; border-top: 1px solid #e3e6ea; }
        @media print {
          /* Landscape: two charts side by side, as on screen. */
          @page { size: A4 landscape; margin: 10mm; }
          html, body, main { background: #fff !important; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          body { font-size: 10.5pt; }
          main { max-width: none; padding: 0; }
          nav.toc, footer { display: none; }
          section { margin-top: 0; break-before: page; page-break-before: always; }
          section.first { break-before: auto; page-break-before: auto; }
          h2, h3 { break-after: avoid; page-break-after: avoid; }
          figure, .panel, tr, .verdicts li { break-inside: avoid; page-break-inside: avoid; }
          table.psi { break-inside: avoid; page-break-inside: avoid; }
          .charts > figure { max-width: calc(50% - 14px); }
          .table-wrap { overflow: visible; }
          dl.data, .note, td.best { background: #fff; }
          .note { border: 1px solid #999; }
          a { color: inherit; }
        }

        """
}
