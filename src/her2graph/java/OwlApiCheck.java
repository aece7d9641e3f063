// Loads an ontology with the OWL API (the library Protégé is built on) and reports what Protégé would trip
// over: parse failures, missing imports, triples the parser could not turn into axioms, declarations it had
// to guess, and violations of the OWL 2 DL profile. Run with the single-file source launcher:
//     java -cp <owlapi jars> OwlApiCheck.java FILE
// If a catalog-v001.xml lies beside FILE, its <uri name=... uri=.../> entries resolve imports to local files,
// as Protégé does. Output: one tab-separated record per line (SUMMARY, UNPARSED, GUESSED, VIOLATION, ERROR);
// exit code 0 clean, 1 problems found, 2 the file could not be loaded.
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.OWLParser;
import org.semanticweb.owlapi.io.OWLParserException;
import org.semanticweb.owlapi.io.RDFTriple;
import org.semanticweb.owlapi.io.UnparsableOntologyException;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.util.SimpleIRIMapper;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class OwlApiCheck {
    public static void main(String[] args) {
        if (args.length != 1) {
            System.out.println("ERROR\tusage: OwlApiCheck FILE");
            System.exit(2);
        }
        File file = new File(args[0]).getAbsoluteFile();
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        List<String> problems = new ArrayList<>();
        try {
            mapCatalog(manager, new File(file.getParentFile(), "catalog-v001.xml"));
            manager.addMissingImportListener(event ->
                problems.add("MISSING_IMPORT\t" + event.getImportedOntologyURI()));
            OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
            OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(file), config);
            int unparsed = 0;
            int guessed = 0;
            for (OWLOntology loaded : manager.getOntologies()) {
                OWLDocumentFormat format = manager.getOntologyFormat(loaded);
                if (format == null || !format.getOntologyLoaderMetaData().isPresent()) {
                    continue;
                }
                OWLOntologyLoaderMetaData meta = format.getOntologyLoaderMetaData().get();
                for (RDFTriple triple : (Iterable<RDFTriple>) meta.getUnparsedTriples()::iterator) {
                    problems.add("UNPARSED\t" + triple);
                    unparsed++;
                }
                for (Object entry : meta.getGuessedDeclarations().entries()) {
                    problems.add("GUESSED\t" + entry);
                    guessed++;
                }
            }
            OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
            for (OWLProfileViolation violation : report.getViolations()) {
                problems.add("VIOLATION\t" + violation.getClass().getSimpleName() + "\t"
                    + violation.toString().replaceAll("\\s+", " "));
            }
            System.out.println("SUMMARY\tformat=" + manager.getOntologyFormat(ontology).getKey()
                + "\taxioms=" + ontology.getAxiomCount(Imports.INCLUDED)
                + "\tlogical_axioms=" + ontology.getLogicalAxiomCount(Imports.INCLUDED)
                + "\tontologies=" + manager.getOntologies().size()
                + "\tunparsed=" + unparsed + "\tguessed=" + guessed
                + "\tdl_violations=" + report.getViolations().size()
                + "\tiri=" + ontology.getOntologyID().getOntologyIRI().map(IRI::toString).orElse("")
                + "\tversion=" + ontology.getOntologyID().getVersionIRI().map(IRI::toString).orElse(""));
            for (String problem : problems) {
                System.out.println(problem);
            }
            System.exit(problems.isEmpty() ? 0 : 1);
        } catch (UnparsableOntologyException error) {
            // One record per parser the OWL API tried, so the caller can name the one for the file's syntax.
            for (Map.Entry<OWLParser, OWLParserException> tried : error.getExceptions().entrySet()) {
                System.out.println("PARSER\t" + tried.getKey().getClass().getSimpleName() + "\t"
                    + tried.getValue().getLineNumber() + "\t" + tried.getValue().getColumnNumber() + "\t"
                    + String.valueOf(tried.getValue().getMessage()).replaceAll("\\s+", " "));
            }
            System.out.println("ERROR\tUnparsableOntologyException\tno parser of the OWL API could read the file");
            System.exit(2);
        } catch (Throwable error) {
            System.out.println("ERROR\t" + error.getClass().getSimpleName() + "\t"
                + String.valueOf(error.getMessage()).replaceAll("\\s+", " "));
            System.exit(2);
        }
    }

    private static void mapCatalog(OWLOntologyManager manager, File catalog) throws Exception {
        if (!catalog.isFile()) {
            return;
        }
        NodeList entries = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(catalog)
            .getElementsByTagName("uri");
        for (int i = 0; i < entries.getLength(); i++) {
            Element entry = (Element) entries.item(i);
            File local = new File(catalog.getParentFile(), entry.getAttribute("uri"));
            manager.getIRIMappers().add(new SimpleIRIMapper(IRI.create(entry.getAttribute("name")), IRI.create(local)));
        }
    }
}
