import Testing
import Compute
