#!/usr/bin/python3
"""Writes edge-cases.xlsx and edge-cases.ods for tests/formats/test-formats.c: small
workbooks whose XML is written out here by hand, to hold what the writers of the other
fixtures never produce (rich and phonetic runs, CDATA, cells and rows without
references, t="str"/"b"/"e"/"d" cells, a time-only format, a formula without a value;
.ods spaces, tabs, paragraphs, comments, spans and repeats). Deterministic: run from
this folder to remake them."""
import zipfile

STAMP = (2024, 1, 1, 0, 0, 0)


def write(path, parts):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            z.writestr(zipfile.ZipInfo(name, STAMP), text)


MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
write("edge-cases.xlsx", [
    ("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns='
     '"http://schemas.openxmlformats.org/package/2006/content-types"><Default '
     'Extension="xml" ContentType="application/xml"/></Types>'),
    ("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook {MAIN} '
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
     '<workbookPr date1904="false"/><sheets><sheet name="Empty" sheetId="1" r:id="rId1"/>'
     '<sheet name="Data" sheetId="2" r:id="rId2"/></sheets></workbook>'),
    ("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships '
     'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
     'Id="rId1" Type="x" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x" '
     'Target="/xl/worksheets/sheet2.xml"/></Relationships>'),
    ("xl/styles.xml", f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {MAIN}><numFmts '
     'count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" '
     'formatCode="[h]:mm"/></numFmts><cellXfs count="4"><xf numFmtId="0"/><xf '
     'numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="14"/></cellXfs></styleSheet>'),
    ("xl/sharedStrings.xml", f'''<?xml version="1.0" encoding="UTF-8"?><sst {MAIN} count="5" uniqueCount="5">
<si><t>id</t></si>
<si><r><rPr><b/></rPr><t>gr</t></r><r><t xml:space="preserve">oup </t></r><rPh sb="0" eb="1"><t>PHON</t></rPh></si>
<si><t>A &amp; B</t></si>
<si><t/></si>
<si><t xml:space="preserve">  NA  </t></si>
</sst>'''),
    ("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN}>'
     '<sheetData><row r="3"><c r="B3" s="1"/></row></sheetData></worksheet>'),
    ("xl/worksheets/sheet2.xml", f'''<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN}><sheetData>
<row r="2"><c r="A2" t="inlineStr"><is><t>Title row</t></is></c></row>
<row r="4"><c r="A4" t="s"><v>0</v></c><c r="B4" t="s"><v>1</v></c><c r="D4" t="inlineStr"><is><r><t>no</t></r><r><t>te</t></r><rPh><t>X</t></rPh></is></c><c t="inlineStr"><is><t>when</t></is></c><c r="F4" t="str"><v>flag</v></c><c r="G4" t="inlineStr"><is><t><![CDATA[d<ur]]></t></is></c><c r="H4" t="inlineStr"><is><t>err</t></is></c><c r="I4" t="inlineStr"><is><t>iso</t></is></c><c r="J4" t="inlineStr"><is><t>hex</t></is></c></row>
<row r="5"><c r="A5"><v>1</v></c><c r="B5" t="s"><v>2</v></c><c r="D5" t="s"><v>3</v></c><c r="E5" s="1"><v>45351</v></c><c r="F5" t="b"><v>1</v></c><c r="G5" s="2"><v>0.5</v></c><c r="H5" t="e"><v>#DIV/0!</v></c><c r="I5" t="d"><v>2024-02-29T08:30:00.000Z</v></c><c r="J5"><v>0x10</v></c></row>
<row><c><v> 2.5 </v></c><c r="B6" t="s"><v>4</v></c><c r="C6"><f>1+1</f></c><c r="D6" t="str"><f>A1</f><v>text &lt;x&gt;</v></c><c r="E6" s="3"><v>60</v></c><c r="F6" t="b"><v>0</v></c><c r="G6"><v/></c><c r="H6" t="e"><f>1/0</f><v>#N/A</v></c><c r="I6" t="d"><v>bad</v></c><c r="J6"><v>1e400</v></c></row>
<row r="9"><c r="A9"><v>3</v></c><c r="B9" t="inlineStr"><is><t>  x  </t></is></c><c r="E9" s="1"><v>45352.75</v></c></row>
<row r="10"><c r="A10" s="0"><v>4</v></c><c r="L10" t="s"><v>2</v></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="B4:C4"/></mergeCells></worksheet>'''),
])

write("edge-cases.ods", [
    ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
    ("content.xml", '''<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<office:body><office:spreadsheet>
<table:table table:name="Empty"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>
<table:table table:name="Data">
<table:table-row><table:table-cell office:value-type="string"><text:p>Title</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
<table:table-header-rows><table:table-row>
<table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell>
<table:table-cell office:value-type="string" table:number-columns-spanned="2"><text:p>group</text:p></table:table-cell><table:covered-table-cell/>
<table:table-cell office:value-type="string"><text:p>note</text:p><office:annotation><dc:creator>me</dc:creator><text:p>comment</text:p></office:annotation></table:table-cell>
<table:table-cell office:value-type="string"><text:p>when</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>flag</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>dur</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>pct</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>f</text:p></table:table-cell>
</table:table-row></table:table-header-rows>
<table:table-row table:number-rows-repeated="3">
<table:table-cell office:value-type="float" office:value="1.5"><text:p>1.5</text:p></table:table-cell>
<table:table-cell office:value-type="string" table:number-columns-repeated="2"><text:p>a<text:s text:c="3"/>b<text:tab/>c</text:p><text:p>second &amp; line</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p> padded <text:span>x</text:span></text:p></table:table-cell>
<table:table-cell office:value-type="date" office:date-value="2024-02-29T08:30:00.123"><text:p>29/02/24</text:p></table:table-cell>
<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>
<table:table-cell office:value-type="time" office:time-value="PT12H30M00S"><text:p>12:30</text:p></table:table-cell>
<table:table-cell office:value-type="percentage" office:value="0.25"><text:p>25%</text:p></table:table-cell>
<table:table-cell table:formula="of:=1/0"><text:p>#DIV/0!</text:p></table:table-cell>
</table:table-row>
<table:table-row><table:table-cell/></table:table-row>
<table:table-row>
<table:table-cell office:value-type="float" office:value="2"/>
<table:table-cell office:value-type="string"><text:p>z</text:p><text:p/></table:table-cell>
<table:table-cell/>
<table:table-cell office:value-type="string"><text:p><![CDATA[cd<ata]]></text:p></table:table-cell>
<table:table-cell office:value-type="date" office:date-value="not a date"/>
<table:table-cell office:value-type="boolean" office:boolean-value="false"/>
<table:table-cell office:value-type="time" office:time-value="-PT1H"/>
<table:table-cell office:value-type="currency" office:value="oops"/>
<table:table-cell table:formula="of:=A1"/>
</table:table-row>
<table:table-row table:number-rows-repeated="5000"><table:table-cell office:value-type="float" office:value="3"/></table:table-row>
</table:table>
</office:spreadsheet></office:body></office:document-content>'''),
])
